// @ts-check
// /dashboard: the six sections of the brief, in its order, from ONE get_dashboard call. Formats only.
import { html } from 'htm/preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import {
    Activity, BarChart3, Clock, Coins, Euro, Filter, Inbox, KeyRound, LogOut, Mail, MailCheck, MessageCircle,
    MessagesSquare, PhoneCall, PhoneForwarded, Rocket, Send, Shield, Sparkles, Target, Timer, TrendingUp, Trophy,
    UserCheck, UserPlus, Users, UserX, Zap,
} from 'lucide-preact';
import { supabase, passwordOffer, isAdmin } from '../supabase.js';
import {
    DASH, formatAgo, formatMinutes, formatMoment, formatMoney, formatNumber, formatPercent, formatRate,
} from '../format.js';
import {
    Badge, BUTTON, Card, CARD, Estimated, GHOST_BUTTON, Hint, INPUT, KpiCard, Page, ProgressBar, Section, Skeleton, Title, Toast,
} from '../ui.js';

/** @typedef {import('../dashboard-types').Dashboard} Dashboard */
/** @typedef {import('../dashboard-types').Rate} Rate */
/** @typedef {import('../dashboard-types').RankedItem} RankedItem */
/** @typedef {import('../ui.js').Color} Color */

export const STATUS_LABELS = {
    new: 'Nouveau', engaged: 'Engagé', qualified: 'Qualifié', call_proposed: 'Call proposé',
    call_booked: 'Call réservé', won: 'Gagné', lost: 'Perdu', relance: 'À relancer',
};
export const LOST_REASON_LABELS = {
    price: 'Prix trop élevé', time: 'Manque de temps', already_tried: 'Déjà essayé', hesitation: 'Hésitation', other: 'Autre',
};
/** @type {Record<string, [string, Color]>} */
export const RATINGS = { excellent: ['Excellent', 'green'], good: ['Bon', 'yellow'], to_improve: ['À améliorer', 'red'] };
/** @type {Record<string, [string, Color]>} */
export const PRIORITIES = { high: ['haute', 'red'], medium: ['moyenne', 'yellow'], low: ['basse', 'blue'] };
const FUNNEL_LABELS = {
    messages_sent: 'Messages envoyés', qualified: 'Qualifiés', calls_proposed: 'Calls proposés', calls_booked: 'Calls réservés',
};
const FOLLOW_UP_PREVIEW = 10;

/** "12 / 40" under a rate, so every percentage shows its parts. @param {Rate} rate */
const parts = (rate) => `${formatNumber(rate.num)} / ${formatNumber(rate.den)}`;

/** An estimated rate (from a coach setting) is shown as such, whatever its sample. @param {{ rate: Rate & { estimated?: boolean }, kpi: string }} props */
const RateValue = ({ rate, kpi }) =>
    rate.low_sample && !rate.estimated
        ? html`<span class="inline-block text-base font-medium leading-snug text-white/60" data-kpi=${kpi} data-low-sample="true">${formatRate(rate)}</span>`
        : html`<span data-kpi=${kpi}>${formatRate(rate)}</span>`;

/**
 * A ranked list (sources, professions, lost reasons) with a bar per row.
 * @param {{ items: RankedItem[], label?: (s: string) => string, kpi: string, empty: string }} props
 */
const RankedList = ({ items, label = (s) => s, kpi, empty }) =>
    items.length === 0
        ? html`<p class="text-sm text-white/50">${empty}</p>`
        : html`<ol class="space-y-3" data-list=${kpi}>
              ${items.map(
                  (item) => html`<li key=${item.label} data-row=${item.label}>
                      <div class="mb-1 flex items-baseline justify-between gap-3 text-sm">
                          <span class="truncate">${label(item.label)}</span>
                          <span class="shrink-0 tabular-nums text-white/70">
                              <span data-field="count">${formatNumber(item.lead_count)}</span>${' · '}<span
                                  class="font-semibold text-white" data-field="percentage">${formatPercent(item.percentage)}</span>
                          </span>
                      </div>
                      <${ProgressBar} value=${item.percentage} label=${label(item.label)} />
                  </li>`,
              )}
          </ol>`;

/** @param {{ d: Dashboard }} props */
const ActivitySection = ({ d }) => {
    const a = d.activity;
    const def = (/** @type {string} */ k) => d.definitions[`activity.${k}`];
    return html`<${Section} id="activity" title="Activité & volume" icon=${Activity}>
        <div class="grid grid-cols-2 gap-3 lg:grid-cols-4">
            <${KpiCard} kpi="activity.messages_sent" title="Messages envoyés" icon=${Send} def=${def('messages_sent')}
                class="col-span-2 lg:col-span-1"
                value=${formatNumber(a.messages_sent)} change=${a.messages_sent_change}
                sub=${`${formatNumber(a.messages_sent_change.current)} ces 7 derniers jours`} />
            <${KpiCard} kpi="activity.messages_received" title="Messages reçus" icon=${Inbox} def=${def('messages_received')}
                value=${formatNumber(a.messages_received)} tone="text-emerald-300" />
            <${KpiCard} kpi="activity.total_leads" title="Leads au total" icon=${Users} def=${def('total_leads')}
                value=${formatNumber(a.total_leads)} tone="text-violet-300" />
            <${KpiCard} kpi="activity.leads_today" title="Leads aujourd’hui" icon=${UserPlus} def=${def('leads_today')}
                value=${formatNumber(a.leads_today)} tone="text-amber-300" />
            <${KpiCard} kpi="activity.leads_week" title="Leads (7 jours)" icon=${TrendingUp} def=${def('leads_week')}
                value=${formatNumber(a.leads_week)} change=${a.leads_change} tone="text-violet-300" />
            <${KpiCard} kpi="activity.avg_messages_per_lead" title="Messages moyens par lead" icon=${MessagesSquare}
                def=${def('avg_messages_per_lead')} value=${formatNumber(a.avg_messages_per_lead, 1)} />
            <${KpiCard} kpi="activity.avg_time_to_action_minutes" title="Temps moyen avant action" icon=${Timer}
                def=${def('avg_time_to_action_minutes')} value=${formatMinutes(a.avg_time_to_action_minutes)} tone="text-emerald-300" />
            <${Card} class="col-span-2 lg:col-span-1">
                <${Title} def=${def('top_sources')}>Top 3 sources<//>
                <${RankedList} items=${a.top_sources} kpi="activity.top_sources" empty="Aucune source renseignée." />
            <//>
        </div>
    <//>`;
};

/** @param {{ d: Dashboard }} props */
const ReplyRatesSection = ({ d }) =>
    html`<${Section} id="reply_rates" title="Taux de réponse" icon=${MessageCircle}>
        <div class="grid grid-cols-2 gap-3 lg:grid-cols-4">
            ${d.reply_rates.map(({ message_number: n, rate, rating }) => {
                const [label, color] = rating ? RATINGS[rating] : ['', /** @type {Color} */ ('gray')];
                const def = d.definitions[`reply_rates.${n}`] ?? d.definitions.reply_rates;
                return html`<${KpiCard} key=${n} kpi=${`reply_rates.${n}`} title=${n === 1 ? '1er message' : `${n}e message`}
                    def=${def} value=${html`<${RateValue} rate=${rate} kpi=${`reply_rates.${n}.value`} />`}
                    sub=${`${parts(rate)} réponses`}>
                    <div class="mt-3 space-y-2">
                        <${ProgressBar} value=${rate.low_sample ? 0 : rate.value} color=${color} label=${`Taux de réponse au message ${n}`} />
                        ${rating && !rate.low_sample && html`<${Badge} color=${color} testid=${`rating-${n}`}>${label}<//>`}
                    </div>
                <//>`;
            })}
        </div>
    <//>`;

/** @param {{ d: Dashboard }} props */
const QualificationSection = ({ d }) => {
    const q = d.qualification;
    const def = (/** @type {string} */ k) => d.definitions[`qualification.${k}`];
    const top = Math.max(1, ...q.funnel.map((s) => s.count));
    return html`<${Section} id="qualification" title="Qualification & conversion" icon=${Target}>
        <div class="grid grid-cols-2 gap-3 lg:grid-cols-4">
            <${KpiCard} kpi="qualification.qualified_leads" title="Prospects qualifiés" icon=${UserCheck} def=${def('qualified_leads')}
                value=${formatNumber(q.qualified_leads)} tone="text-emerald-300"
                sub=${html`<span class="inline-flex items-center gap-1">Taux : <${RateValue} rate=${q.qualification_rate} kpi="qualification.qualification_rate" /></span>`} />
            <${KpiCard} kpi="qualification.lead_magnets_sent" title="Lead magnets envoyés" icon=${Sparkles}
                def=${def('lead_magnets_sent')} value=${formatNumber(q.lead_magnets_sent)} tone="text-violet-300" />
            <${KpiCard} kpi="qualification.emails_captured" title="Emails capturés" icon=${MailCheck}
                def=${def('emails_captured')} value=${formatNumber(q.emails_captured)} />
            <${KpiCard} kpi="qualification.calls_booked" title="Calls réservés" icon=${PhoneCall} def=${def('calls_booked')}
                value=${formatNumber(q.calls_booked)} tone="text-amber-300"
                sub=${`sur ${formatNumber(q.calls_proposed)} proposés`} />
        </div>
        <div class="grid grid-cols-1 gap-3 lg:grid-cols-3">
            <${Card} class="lg:col-span-2">
                <${Title} def=${def('funnel')}>Funnel<//>
                <ol class="space-y-3" data-list="qualification.funnel">
                    ${q.funnel.map(
                        (s) => html`<li key=${s.step} data-row=${s.step}>
                            <div class="mb-1 flex items-baseline justify-between gap-3 text-sm">
                                <span>${FUNNEL_LABELS[s.step]}</span>
                                <span class="tabular-nums">
                                    <span class="font-semibold" data-field="count">${formatNumber(s.count)}</span>
                                    ${s.rate_from_previous &&
                                    html` <span class="text-white/60">· <span data-field="rate">${formatRate(s.rate_from_previous)}</span></span>`}
                                </span>
                            </div>
                            <div class="h-3 w-full rounded-full bg-white/10 overflow-hidden">
                                <div class="h-full rounded-full bg-gradient-to-r from-blue-500 to-purple-600"
                                    style=${{ width: `${(s.count / top) * 100}%` }}></div>
                            </div>
                        </li>`,
                    )}
                </ol>
            <//>
            <${Card}>
                <${Title} def=${def('call_conversion_rate')}>Conversion des calls<//>
                <dl class="space-y-3 text-sm">
                    <div class="flex items-center justify-between gap-3">
                        <dt class="text-white/70">Taux de réservation</dt>
                        <dd class="font-semibold"><${RateValue} rate=${q.call_booking_rate} kpi="qualification.call_booking_rate" /></dd>
                    </div>
                    <div class="flex items-center justify-between gap-3">
                        <dt class="text-white/70">Conversion call → vente</dt>
                        <dd class="font-semibold"><${RateValue} rate=${q.call_conversion_rate} kpi="qualification.call_conversion_rate" /></dd>
                    </div>
                    <div class="flex items-center justify-between gap-3">
                        <dt class="text-white/70">No-show ${q.no_show_rate.estimated && html`<${Estimated} />`}</dt>
                        <dd class="font-semibold"><${RateValue} rate=${q.no_show_rate} kpi="qualification.no_show_rate" /></dd>
                    </div>
                </dl>
            <//>
        </div>
    <//>`;
};

/** @param {{ d: Dashboard }} props */
const DemographicsSection = ({ d }) => {
    const g = d.demographics;
    const def = (/** @type {string} */ k) => d.definitions[`demographics.${k}`];
    return html`<${Section} id="demographics" title="Démographie" icon=${Users}>
        <div class="grid grid-cols-1 gap-3 lg:grid-cols-3">
            <div class="grid grid-cols-2 gap-3 sm:grid-cols-4 lg:col-span-2">
                <${KpiCard} title="Hommes" def=${def('men')} value=${html`<${RateValue} rate=${g.men} kpi="demographics.men" />`} sub=${parts(g.men)} />
                <${KpiCard} title="Femmes" def=${def('women')} value=${html`<${RateValue} rate=${g.women} kpi="demographics.women" />`} sub=${parts(g.women)} />
                <${KpiCard} title="Autre" def=${def('other')} value=${html`<${RateValue} rate=${g.other} kpi="demographics.other" />`} sub=${parts(g.other)} />
                <${KpiCard} kpi="demographics.average_age" title="Âge moyen" def=${def('average_age')}
                    value=${g.average_age == null ? DASH : `${formatNumber(g.average_age, 1)} ans`}
                    sub=${`${formatNumber(g.unknown_gender)} genre inconnu`} />
            </div>
            <${Card}>
                <${Title} def=${def('top_professions')}>Top 5 professions<//>
                <${RankedList} items=${g.top_professions} kpi="demographics.top_professions" empty="Aucune profession renseignée." />
            <//>
        </div>
    <//>`;
};

/** @param {{ d: Dashboard }} props */
const PipelineSection = ({ d }) => {
    const p = d.pipeline;
    const def = (/** @type {string} */ k) => d.definitions[`pipeline.${k}`];
    const [all, setAll] = useState(false);
    const rows = all ? p.follow_up : p.follow_up.slice(0, FOLLOW_UP_PREVIEW);
    return html`<${Section} id="pipeline" title="Pipeline & relances" icon=${Filter}>
        <div class="grid grid-cols-2 gap-3 lg:grid-cols-4">
            <${KpiCard} kpi="pipeline.new_leads" title="Nouveaux" icon=${UserPlus} def=${def('new_leads')}
                value=${formatNumber(p.new_leads)} sub=${`${formatNumber(p.engaged_leads)} engagés`} />
            <${KpiCard} kpi="pipeline.won_leads" title="Gagnés" icon=${Trophy} def=${def('won_leads')}
                value=${formatNumber(p.won_leads)} tone="text-emerald-300" />
            <${KpiCard} kpi="pipeline.lost_leads" title="Perdus" icon=${UserX} def=${def('lost_leads')}
                value=${formatNumber(p.lost_leads)} tone="text-red-300"
                sub=${html`<${RateValue} rate=${p.lost_rate} kpi="pipeline.lost_rate" />`} />
            <${KpiCard} kpi="pipeline.leads_to_follow_up" title="À relancer" icon=${PhoneForwarded} def=${def('leads_to_follow_up')}
                value=${formatNumber(p.leads_to_follow_up)} tone="text-amber-300"
                sub=${html`<${RateValue} rate=${p.follow_up_rate} kpi="pipeline.follow_up_rate" /> des leads ouverts`} />
        </div>
        <div class="grid grid-cols-1 gap-3 lg:grid-cols-3">
            <${Card} class="lg:col-span-2">
                <${Title} def=${def('follow_up')}>Leads à relancer<//>
                ${p.follow_up.length === 0
                    ? html`<p class="text-sm text-white/50">Aucun lead à relancer.</p>`
                    : html`<ul class="divide-y divide-white/10" data-list="pipeline.follow_up">
                          ${rows.map(
                              (l) => html`<li key=${l.lead_id} class="flex flex-wrap items-center gap-x-3 gap-y-1 py-2 text-sm" data-row=${l.lead_id}>
                                  <span class="min-w-0 flex-1 truncate font-medium" data-field="who">
                                      ${l.instagram_username ? `@${l.instagram_username}` : l.first_name ?? 'Lead sans nom'}
                                  </span>
                                  <span class="text-white/60">${STATUS_LABELS[l.status] ?? l.status}</span>
                                  <span class="tabular-nums text-white/80" data-field="days">
                                      ${formatNumber(l.days_without_contact)} j sans contact
                                  </span>
                                  <${Badge} color=${PRIORITIES[l.priority][1]} testid="priority">${PRIORITIES[l.priority][0]}<//>
                              </li>`,
                          )}
                      </ul>
                      ${p.leads_to_follow_up > p.follow_up.length &&
                      html`<p class="mt-2 text-xs text-white/50" data-testid="follow-up-truncated">
                          Les ${formatNumber(p.follow_up.length)} plus prioritaires sur ${formatNumber(p.leads_to_follow_up)}.
                      </p>`}
                      ${p.follow_up.length > FOLLOW_UP_PREVIEW &&
                      html`<button type="button" class=${`${GHOST_BUTTON} mt-3`} onClick=${() => setAll(!all)} data-testid="follow-up-toggle">
                          ${all ? 'Réduire' : `Voir les ${formatNumber(p.follow_up.length)} leads`}
                      </button>`}`}
            <//>
            <${Card}>
                <${Title} def=${def('lost_reasons')}>Raisons de perte<//>
                <${RankedList} items=${p.lost_reasons} kpi="pipeline.lost_reasons"
                    label=${(/** @type {string} */ r) => LOST_REASON_LABELS[/** @type {keyof typeof LOST_REASON_LABELS} */ (r)] ?? r}
                    empty="Aucune raison de perte renseignée." />
            <//>
        </div>
    <//>`;
};

/** @param {{ d: Dashboard }} props */
const PerformanceSection = ({ d }) => {
    const p = d.performance;
    const cur = d.coach.currency;
    const def = (/** @type {string} */ k) => d.definitions[`performance.${k}`];
    return html`<${Section} id="performance" title="Performance & ROI" icon=${BarChart3}>
        <div class="grid grid-cols-2 gap-3 lg:grid-cols-4">
            <${Card} class="col-span-2 flex flex-col justify-center text-center lg:row-span-2">
                <div class="flex items-center justify-center gap-1.5 text-sm text-white/60">
                    <span>ROI</span>
                    <${Hint} def=${def('roi')} />
                </div>
                <div class=${`my-2 bg-gradient-to-r from-blue-400 to-purple-500 bg-clip-text font-bold text-transparent ${
                    p.roi.low_sample ? 'text-2xl' : 'text-5xl sm:text-6xl'}`} data-kpi="performance.roi">
                    ${formatRate(p.roi)}
                </div>
                <div class="text-sm text-white/60">${formatMoney(p.roi.num, cur)} de gain net pour ${formatMoney(p.roi.den, cur)} investis</div>
            <//>
            <${KpiCard} kpi="performance.setter_cost" title="Coût du setter" icon=${Coins} def=${def('setter_cost')}
                value=${formatMoney(p.setter_cost, cur)} sub="sur la période" tone="text-red-300" />
            <${KpiCard} kpi="performance.revenue" title="Revenus générés" icon=${Euro} def=${def('revenue')}
                value=${formatMoney(p.revenue, cur)} tone="text-emerald-300" />
            <${KpiCard} kpi="performance.deals_closed" title="Deals fermés" icon=${Trophy} def=${def('deals_closed')}
                value=${formatNumber(p.deals_closed)} sub=${`panier moyen ${formatMoney(p.average_deal_value, cur)}`} tone="text-amber-300" />
            <${KpiCard} kpi="performance.acquisition_cost" title="Coût d’acquisition" icon=${Target} def=${def('acquisition_cost')}
                value=${formatMoney(p.acquisition_cost, cur)} sub="par deal fermé" tone="text-violet-300" />
            <${KpiCard} title="Efficacité IA" icon=${Zap} def=${def('ai_efficiency')}
                value=${html`<${RateValue} rate=${p.ai_efficiency} kpi="performance.ai_efficiency" />`}
                sub=${`${parts(p.ai_efficiency)} messages reçus`} />
            <${KpiCard} kpi="performance.time_saved" title="Temps gagné (30 j)" icon=${Clock} def=${def('time_saved')}
                value=${`${formatNumber(p.time_saved.hours, 1)} h`}
                sub=${html`${formatNumber(p.time_saved.messages)} messages × ${formatNumber(p.time_saved.minutes_per_message, 1)} min
                    ${p.time_saved.estimated && html` <${Estimated} />`}`} tone="text-emerald-300" />
            <${KpiCard} kpi="performance.best_conversion_moment" title="Meilleur moment" icon=${Rocket} def=${def('best_conversion_moment')}
                value=${html`<span class="text-xl sm:text-2xl">${p.best_conversion_moment
                    ? formatMoment(p.best_conversion_moment.weekday, p.best_conversion_moment.hour) : DASH}</span>`}
                sub=${p.best_conversion_moment ? `${formatNumber(p.best_conversion_moment.count)} calls ou ventes` : 'pas encore de call ni de vente'} />
            <${KpiCard} kpi="performance.speed_to_lead" title="Vitesse de réponse (30 j)" icon=${Timer} def=${def('speed_to_lead')}
                value=${formatMinutes(p.speed_to_lead.median_minutes)}
                sub=${`médiane · 90 % en moins de ${formatMinutes(p.speed_to_lead.p90_minutes)} · ${formatNumber(p.speed_to_lead.sample)} réponses`} />
        </div>
        <${Card}>
            <${Title} def=${def('lead_quality_by_source')}>Qualité des leads par source<//>
            ${p.lead_quality_by_source.length === 0
                ? html`<p class="text-sm text-white/50">Aucune source renseignée.</p>`
                : html`<div class="-mx-4 overflow-x-auto px-4 sm:mx-0 sm:px-0">
                      <table class="w-full min-w-[34rem] text-sm" data-list="performance.lead_quality_by_source">
                          <thead class="text-left text-white/60">
                              <tr><th class="py-2 font-medium">Source</th><th class="py-2 text-right font-medium">Leads</th>
                                  <th class="py-2 text-right font-medium">Qualifiés</th><th class="py-2 text-right font-medium">Calls</th>
                                  <th class="py-2 text-right font-medium">Ventes</th><th class="py-2 text-right font-medium">Revenus</th></tr>
                          </thead>
                          <tbody class="divide-y divide-white/10 tabular-nums">
                              ${p.lead_quality_by_source.map(
                                  (s) => html`<tr key=${s.source} data-row=${s.source}>
                                      <td class="py-2 font-medium">${s.source}</td>
                                      <td class="py-2 text-right">${formatNumber(s.leads)}</td>
                                      <td class="py-2 text-right">${formatNumber(s.qualified)} <span class="text-white/50">${formatRate(s.qualification_rate)}</span></td>
                                      <td class="py-2 text-right">${formatNumber(s.calls_booked)} <span class="text-white/50">${formatRate(s.booking_rate)}</span></td>
                                      <td class="py-2 text-right">${formatNumber(s.won)} <span class="text-white/50">${formatRate(s.win_rate)}</span></td>
                                      <td class="py-2 text-right">${formatMoney(s.revenue, cur)}</td>
                                  </tr>`,
                              )}
                          </tbody>
                      </table>
                  </div>`}
        <//>
    <//>`;
};

/** Offered once after a magic link: set a password for the next sign-ins (supabase.auth.updateUser). */
const SetPassword = ({ onDone, notify }) => {
    const [password, setPassword] = useState('');
    const [busy, setBusy] = useState(false);
    /** @param {Event} e */
    const submit = async (e) => {
        e.preventDefault();
        setBusy(true);
        const { error } = await supabase.auth.updateUser({ password });
        setBusy(false);
        if (error) return notify(`Mot de passe non enregistré : ${error.message}`);
        notify('Mot de passe enregistré.', 'success');
        onDone();
    };
    return html`<${Card} class="border-blue-400/40" testid="set-password">
        <form class="flex flex-col gap-3 sm:flex-row sm:items-end" onSubmit=${submit}>
            <label class="flex-1 text-sm">
                <span class="mb-1 flex items-center gap-2 font-semibold"><${KeyRound} size=${16} aria-hidden="true" />
                    Bienvenue ! Choisissez un mot de passe pour vos prochaines connexions.</span>
                <input class=${INPUT} type="password" autocomplete="new-password" minlength="8" required
                    placeholder="8 caractères minimum" value=${password}
                    onInput=${(/** @type {any} */ e) => setPassword(e.currentTarget.value)} />
            </label>
            <div class="flex gap-2">
                <button class=${BUTTON} type="submit" disabled=${busy}>Enregistrer</button>
                <button class=${GHOST_BUTTON} type="button" onClick=${onDone}>Plus tard</button>
            </div>
        </form>
    <//>`;
};

const LoadingSkeleton = () =>
    html`<div class="space-y-8" data-testid="skeleton" aria-busy="true" aria-label="Chargement du tableau de bord">
        ${[4, 4, 4, 3, 4, 4].map(
            (n, i) => html`<div key=${i} class="space-y-3">
                <div class="h-6 w-48 animate-pulse rounded bg-white/10"></div>
                <div class="grid grid-cols-2 gap-3 lg:grid-cols-4">
                    ${Array.from({ length: n }, (_, j) => html`<${Skeleton} key=${j} />`)}
                </div>
            </div>`,
        )}
    </div>`;

const EmptyState = () =>
    html`<div class=${`${CARD} mx-auto max-w-xl p-8 text-center`} data-testid="empty-state">
        <div class="mx-auto mb-4 w-fit rounded-2xl bg-gradient-to-br from-blue-500 to-purple-600 p-4"><${Inbox} size=${32} aria-hidden="true" /></div>
        <h2 class="text-xl font-semibold">Aucun lead pour l’instant</h2>
        <p class="mt-2 text-white/70">
            Dès que votre setter IA commence à échanger sur Instagram, vos leads, messages et conversions apparaissent ici
            (mise à jour toutes les 5 minutes).
        </p>
    </div>`;

/** @param {{ session: import('@supabase/auth-js').Session }} props */
export function DashboardPage({ session }) {
    const [data, setData] = useState(/** @type {Dashboard | null} */ (null));
    const [loading, setLoading] = useState(true);
    const [toast, setToast] = useState(/** @type {{ message: string, tone?: 'error' | 'success', retry?: boolean } | null} */ (null));
    const [offer, setOffer] = useState(passwordOffer.pending());
    const [, tick] = useState(0);

    const load = useCallback(async () => {
        setLoading(true);
        const { data: doc, error } = await supabase.rpc('get_dashboard');
        setLoading(false);
        if (error) {
            setToast({ message: `Impossible de charger le tableau de bord : ${error.message}`, retry: true });
            return;
        }
        setToast(null);
        setData(/** @type {Dashboard} */ (doc));
    }, []);

    useEffect(() => {
        load();
        const t = setInterval(() => tick((n) => n + 1), 30_000); // keeps "il y a N min" current
        return () => clearInterval(t);
    }, [load]);

    const notify = (/** @type {string} */ message, /** @type {'error' | 'success'} */ tone = 'error') => setToast({ message, tone });
    const signOut = async () => {
        const { error } = await supabase.auth.signOut();
        if (error) notify(`Déconnexion impossible : ${error.message}`);
    };
    const dismissOffer = () => {
        passwordOffer.done();
        setOffer(false);
    };

    return html`<${Page}>
        <header class="mb-6 flex flex-wrap items-center justify-between gap-3">
            <div class="min-w-0">
                <h1 class="truncate text-2xl font-bold sm:text-3xl" data-testid="coach-name">
                    ${data ? data.coach.name : 'Tableau de bord'}
                </h1>
                <p class="text-sm text-white/60" data-testid="last-updated">
                    ${data ? `Mis à jour ${formatAgo(data.last_updated)}` : session.user.email}
                </p>
            </div>
            <div class="flex items-center gap-2">
                ${isAdmin(session) && html`<a class=${GHOST_BUTTON} href="/admin"><${Shield} size=${16} aria-hidden="true" />Admin</a>`}
                <button type="button" class=${GHOST_BUTTON} onClick=${signOut} data-testid="sign-out">
                    <${LogOut} size=${16} aria-hidden="true" />Se déconnecter
                </button>
            </div>
        </header>
        <main class="space-y-8">
            ${offer && html`<${SetPassword} onDone=${dismissOffer} notify=${notify} />`}
            ${loading && !data
                ? html`<${LoadingSkeleton} />`
                : data && !data.has_leads
                  ? html`<${EmptyState} />`
                  : data &&
                    html`<${ActivitySection} d=${data} />
                        <${ReplyRatesSection} d=${data} />
                        <${QualificationSection} d=${data} />
                        <${DemographicsSection} d=${data} />
                        <${PipelineSection} d=${data} />
                        <${PerformanceSection} d=${data} />`}
        </main>
        <${Toast} message=${toast?.message ?? null} tone=${toast?.tone} onClose=${() => setToast(null)}
            action=${toast?.retry ? { label: 'Réessayer', run: load } : undefined} />
    <//>`;
}
