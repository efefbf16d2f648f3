// @ts-check
// 3. Qualification & conversion: counts, the funnel (its first step counts the leads who got at least one DM),
// call booking, conversion and no-show rates.
import { html } from 'htm/preact';
import { MailCheck, PhoneCall, Sparkles, Target, UserCheck } from 'lucide-preact';
import { formatNumber, formatRate } from '../../format.js';
import { BASES, FUNNEL_LABELS } from '../../labels.js';
import { Card, Estimated, Section, Title } from '../../ui.js';
import { Count, KpiCard, PeriodChange, RateValue } from './common.js';
import { useDashboard } from './context.js';

export const QualificationSection = () => {
    const { doc, defs } = useDashboard();
    const q = doc.qualification;
    const top = Math.max(1, ...q.funnel.map((s) => s.count.value ?? 0));
    const label = (/** @type {string} */ k, /** @type {string} */ fallback) => defs[k]?.label ?? fallback;
    return html`<${Section} id="qualification" title="Qualification & conversion" icon=${Target}>
        <div class="grid grid-cols-2 gap-3 lg:grid-cols-4">
            <${KpiCard} kpi="qualification.qualified_leads" title="Leads qualifiés" icon=${UserCheck} tone="text-emerald-300" base="events"
                value=${html`<${Count} value=${q.qualified_leads.value} kpi="qualification.qualified_leads" drill="qualification.qualified_leads"
                    label=${label('qualification.qualified_leads', 'Leads qualifiés')} />`}
                sub=${html`<span class="inline-flex flex-wrap items-center gap-1">${`${label('qualification.qualification_rate', 'Taux de qualification')} :`}
                    <${RateValue} rate=${q.qualification_rate} kpi="qualification.qualification_rate" /><span>des leads contactés</span></span>`}
                change=${html`<${PeriodChange} kpi="qualification.qualified_leads" metric=${q.qualified_leads} />`} />
            <${KpiCard} kpi="qualification.lead_magnets_sent" title="Lead magnets envoyés" icon=${Sparkles} tone="text-violet-300"
                value=${html`<${Count} value=${q.lead_magnets_sent.value} kpi="qualification.lead_magnets_sent" drill="qualification.lead_magnets_sent"
                    label=${label('qualification.lead_magnets_sent', 'Lead magnets envoyés')} />`}
                change=${html`<${PeriodChange} kpi="qualification.lead_magnets_sent" metric=${q.lead_magnets_sent} />`} />
            <${KpiCard} kpi="qualification.emails_captured" title="Emails récupérés" icon=${MailCheck}
                value=${html`<${Count} value=${q.emails_captured.value} kpi="qualification.emails_captured" drill="qualification.emails_captured"
                    label=${label('qualification.emails_captured', 'Emails récupérés')} />`}
                change=${html`<${PeriodChange} kpi="qualification.emails_captured" metric=${q.emails_captured} />`} />
            <${KpiCard} kpi="qualification.calls_proposed" title="Calls proposés" icon=${PhoneCall} tone="text-amber-300" base="events"
                value=${html`<${Count} value=${q.calls_proposed.value} kpi="qualification.calls_proposed" drill="qualification.calls_proposed"
                    label=${label('qualification.calls_proposed', 'Calls proposés')} />`}
                sub=${html`<span class="inline-flex flex-wrap items-center gap-1">${`${label('qualification.call_booking_rate', 'Taux de réservation')} :`}
                    <${RateValue} rate=${q.call_booking_rate} kpi="qualification.call_booking_rate" /><span>des leads contactés</span></span>`}
                change=${html`<${PeriodChange} kpi="qualification.calls_proposed" metric=${q.calls_proposed} />`} />
        </div>
        <div class="grid grid-cols-1 gap-3 lg:grid-cols-3">
            <${Card} class="lg:col-span-2">
              <div data-base="cohort">
                <${Title} def=${defs['qualification.funnel']}>${label('qualification.funnel', 'Entonnoir de conversion')}<//>
                <p class="-mt-2 mb-3 text-xs text-white/70" data-base-caption>${BASES.cohort.charAt(0).toUpperCase()}${BASES.cohort.slice(1)}</p>
                <ol class="space-y-3" data-list="qualification.funnel">
                    ${q.funnel.map(
                        (s) => html`<li key=${s.step} data-row=${s.step}>
                            <div class="mb-1 flex flex-wrap items-baseline justify-between gap-x-3 text-sm">
                                <span>${FUNNEL_LABELS[s.step] ?? s.step}</span>
                                <span class="tabular-nums">
                                    <span class="font-semibold" data-field="count"><${Count} value=${s.count.value} kpi=${`qualification.funnel:${s.step}`}
                                        drill=${`qualification.funnel:${s.step}`} label=${`Entonnoir : ${FUNNEL_LABELS[s.step] ?? s.step}`} /></span>
                                    ${s.rate_from_previous &&
                                    html` <span class="text-white/80">· <span data-field="rate">${formatRate(s.rate_from_previous)}</span></span>`}
                                </span>
                            </div>
                            <div class="h-3 w-full overflow-hidden rounded-full bg-white/10">
                                <div class="h-full rounded-full bg-gradient-to-r from-blue-500 to-purple-600"
                                    style=${{ width: `${((s.count.value ?? 0) / top) * 100}%` }}></div>
                            </div>
                        </li>`,
                    )}
                </ol>
              </div>
            <//>
            <${Card}>
                <${Title} def=${defs['qualification.call_conversion_rate']}>Conversion des calls<//>
                <dl class="space-y-3 text-sm">
                    <div class="flex flex-wrap items-center justify-between gap-x-3">
                        <dt class="text-white/80">${label('qualification.call_booking_rate', 'Taux de réservation')}</dt>
                        <dd class="font-semibold"><${RateValue} rate=${q.call_booking_rate} kpi="qualification.call_booking_rate.card" /></dd>
                    </div>
                    <div class="flex flex-wrap items-center justify-between gap-x-3">
                        <dt class="text-white/80">${label('qualification.call_conversion_rate', 'Conversion call → vente')}</dt>
                        <dd class="font-semibold"><${RateValue} rate=${q.call_conversion_rate} kpi="qualification.call_conversion_rate" /></dd>
                    </div>
                    <div class="flex flex-wrap items-center justify-between gap-x-3">
                        <dt class="inline-flex items-center gap-1 text-white/80">${label('qualification.no_show_rate', 'Taux de no-show')}
                            ${q.no_show_rate.estimated && html`<${Estimated} title="Aucune issue de call connue : le taux par défaut de vos réglages" />`}</dt>
                        <dd class="font-semibold"><${RateValue} rate=${q.no_show_rate} kpi="qualification.no_show_rate" /></dd>
                    </div>
                </dl>
                <p class="mt-3 text-xs text-white/80" data-testid="call-rates-basis" data-base="cohort"><span data-base-caption>${
                    `${BASES.cohort.charAt(0).toUpperCase()}${BASES.cohort.slice(1)} :`}</span>${' '}<span
                    data-kpi="qualification.call_booking_rate.num">${formatNumber(q.call_booking_rate.num)}</span>${' calls réservés sur '}<span
                    data-kpi="qualification.call_booking_rate.den">${formatNumber(q.call_booking_rate.den)}</span>${' proposés, '}<span
                    data-kpi="qualification.call_conversion_rate.num">${formatNumber(q.call_conversion_rate.num)}</span>${' gagnés sur '}<span
                    data-kpi="qualification.call_conversion_rate.den">${formatNumber(q.call_conversion_rate.den)}</span>${' calls réservés.'}</p>
            <//>
        </div>
    <//>`;
};
