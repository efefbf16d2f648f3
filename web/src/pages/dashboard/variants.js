// @ts-check
// Variantes des messages (issue 22): for each DM step, the versions n8n sent (get_variant_report), their reply rate
// with its 95 % interval and what the leads did next, and SQL's verdict. The page never names a winner itself: it
// shows "X fait mieux" only when the verdict says `better`.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { FlaskConical } from 'lucide-preact';
import { fetchVariantReport } from '../../api.js';
import { describe } from '../../errors.js';
import { LOW_SAMPLE, formatNumber, formatPercent } from '../../format.js';
import { dmLabel } from '../../labels.js';
import { Badge, Card, Section, Skeleton } from '../../ui.js';
import { useDashboard } from './context.js';

/** @typedef {import('../../dashboard-types').VariantStep} VariantStep */
/** @typedef {import('../../dashboard-types').VariantEntry} VariantEntry */

export const NO_VARIANT = 'sans variante';

/** A variant's name on screen. @param {string | null} v */
export const variantName = (v) => (v == null ? NO_VARIANT : v);

/** The verdict of a step, as one French sentence. @param {VariantStep} step */
export const verdictText = ({ variants, verdict }) => {
    if (verdict.status === 'better') {
        return `« ${variantName(verdict.best)} » fait mieux : ${formatPercent(verdict.probability)} de probabilité d’avoir le meilleur taux de réponse.`;
    }
    if (verdict.status === 'too_close') {
        return `Trop proche pour conclure : aucune version n’atteint ${formatPercent(verdict.threshold)} de probabilité de faire mieux.`;
    }
    if (variants.length < 2) return 'Une seule version envoyée sur la période : rien à comparer.';
    return `Pas assez de données pour conclure : il faut au moins ${formatNumber(verdict.min_sent)} envois par version sur la période.`;
};

/** The interval on a 0–100 % track, the rate as a tick (the numbers are in the text next to it). @param {{ v: VariantEntry }} props */
const IntervalBar = ({ v }) =>
    html`<div class="relative mt-1 h-1.5 w-full min-w-16 rounded-full bg-white/10" aria-hidden="true">
        <div class="absolute inset-y-0 rounded-full bg-sky-400/60" style=${{ left: `${v.ci_low}%`, width: `${Math.max(0.5, v.ci_high - v.ci_low)}%` }}></div>
        <div class="absolute -inset-y-0.5 w-0.5 bg-white" style=${{ left: `${v.rate}%` }}></div>
    </div>`;

/** @param {{ step: VariantStep }} props */
const StepCard = ({ step }) => {
    const { verdict } = step;
    const tone = verdict.status === 'better' ? 'border-emerald-300/50 bg-emerald-950 text-emerald-100' : 'border-white/20 bg-white/5 text-white/90';
    return html`<${Card} testid=${`variants-step-${step.step}`}>
        <h3 class="mb-2 font-semibold">${dmLabel(step.step)}</h3>
        <p class=${`mb-3 rounded-lg border p-2 text-sm ${tone}`} data-testid="variant-verdict" data-status=${verdict.status}>${verdictText(step)}</p>
        <div class="overflow-x-auto" tabindex="0" role="region" aria-label=${`Variantes du ${dmLabel(step.step)}`}>
            <table class="w-full text-sm tabular-nums">
                <thead class="text-left text-white/80">
                    <tr>
                        <th scope="col" class="py-1 pr-3 font-medium">Version</th>
                        <th scope="col" class="px-2 py-1 text-right font-medium">Envois</th>
                        <th scope="col" class="px-2 py-1 text-right font-medium">Réponses</th>
                        <th scope="col" class="px-2 py-1 font-medium">Taux (IC 95 %)</th>
                        <th scope="col" class="px-2 py-1 text-right font-medium">Qualifiés</th>
                        <th scope="col" class="px-2 py-1 text-right font-medium">Calls</th>
                        <th scope="col" class="px-2 py-1 text-right font-medium">Ventes</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-white/10">
                    ${step.variants.map((v) => html`<tr key=${variantName(v.variant)} data-variant=${variantName(v.variant)}>
                        <th scope="row" class="max-w-48 break-words py-1.5 pr-3 text-left font-normal">
                            <span class=${v.variant == null ? 'italic text-white/80' : ''}>${variantName(v.variant)}</span>
                            ${verdict.status === 'better' && verdict.best === v.variant && html` <${Badge} color="green" testid="variant-best">meilleure<//>`}
                        </th>
                        <td class="px-2 py-1.5 text-right" data-field="sent">${formatNumber(v.sent)}</td>
                        <td class="px-2 py-1.5 text-right" data-field="replied">${formatNumber(v.replied)}</td>
                        <td class="min-w-36 px-2 py-1.5" data-field="rate">
                            ${v.low_sample
                                ? html`<span class="text-white/80">${LOW_SAMPLE}</span>`
                                : html`<span>${formatPercent(v.rate)}</span> <span class="text-xs text-white/80" data-field="ci">(${formatPercent(v.ci_low)} – ${formatPercent(v.ci_high)})</span>
                                    <${IntervalBar} v=${v} />`}
                        </td>
                        <td class="px-2 py-1.5 text-right" data-field="qualified">${formatNumber(v.qualified)}</td>
                        <td class="px-2 py-1.5 text-right" data-field="booked">${formatNumber(v.booked)}</td>
                        <td class="px-2 py-1.5 text-right" data-field="won">${formatNumber(v.won)}</td>
                    </tr>`)}
                </tbody>
            </table>
        </div>
    <//>`;
};

export const VariantsSection = () => {
    const { doc, coachId } = useDashboard();
    const [state, setState] = useState(/** @type {{ steps: VariantStep[] | null, problem: string | null }} */ ({ steps: null, problem: null }));
    const key = `${coachId}|${doc.period.key}|${doc.period.start}|${doc.period.end}|${doc.last_updated}`;
    useEffect(() => {
        let current = true;
        fetchVariantReport({ coachId, period: doc.period }).then(
            (steps) => current && setState({ steps, problem: null }),
            (e) => current && setState((s) => ({ ...s, problem: describe(e).message })),
        );
        return () => {
            current = false;
        };
    }, [key]);
    // steps with a named variant get their table; the others (only "sans variante") one line
    const named = (/** @type {VariantStep} */ s) => s.variants.some((v) => v.variant != null);
    const shown = state.steps?.filter(named) ?? [];
    const plain = state.steps?.filter((s) => s.variants.length > 0 && !named(s)) ?? [];
    const anyNamed = shown.length > 0;
    return html`<${Section} id="variants" title="Variantes des messages" icon=${FlaskConical}>
        <p class="text-sm text-white/80">Quelle version de vos DM obtient le plus de réponses. Un verdict n’est donné qu’à partir de 100 envois par version et 95 % de probabilité.</p>
        ${state.problem && html`<p role="alert" class="text-sm text-amber-200" data-testid="variants-error">${state.problem}</p>`}
        ${!state.steps
            ? !state.problem && html`<${Skeleton} class="h-40" />`
            : !anyNamed
              ? html`<p class="text-sm text-white/90" data-testid="variants-empty">Aucune variante sur cette période : tous vos DM sont « ${NO_VARIANT} ». Pour comparer deux accroches, envoyez le nom de la version avec chaque DM (champ <code>variant</code>, voir le guide n8n).</p>`
              : html`<div class="grid grid-cols-1 gap-3 xl:grid-cols-2" data-testid="variants">${shown.map((s) => html`<${StepCard} key=${s.step} step=${s} />`)}</div>
                ${plain.length > 0 && html`<p class="text-sm text-white/80" data-testid="variants-plain">${plain.map((s) => dmLabel(s.step)).join(', ')} : sans variante sur la période, rien à comparer.</p>`}`}
    <//>`;
};
