// @ts-check
// Cohortes (issue 22): the leads of each of the last 12 weeks (by first contact) and how many were qualified, booked
// or won within 7, 14 and 30 days, as get_cohorts returns them. A heat map readable without colour: every cell says
// its rate and count, the shade only repeats it; a window not over yet says "en cours" rather than a falling rate.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { Download, Grid3x3 } from 'lucide-preact';
import { fetchCohorts } from '../../api.js';
import { cohortsCsv } from '../../cohorts-csv.js';
import { csvFileName } from '../../csv.js';
import { describe } from '../../errors.js';
import { DASH, formatDayRange, formatNumber, formatPercent } from '../../format.js';
import { BUTTON, GHOST_BUTTON, Section, Skeleton } from '../../ui.js';
import { useDashboard } from './context.js';
import { download } from './drilldown.js';

/** @typedef {import('../../dashboard-types').Cohorts} Cohorts */
/** @typedef {'qualified' | 'booked' | 'won'} Step */

/** @type {Array<[Step, string]>} */
const STEPS = [['qualified', 'Qualifiés'], ['booked', 'Calls réservés'], ['won', 'Ventes']];

/** @param {{ w: import('../../dashboard-types').CohortWindow, step: Step }} props */
const Cell = ({ w, step }) => {
    const r = w[step];
    if (!w.complete) return html`<td class="px-2 py-1.5 text-center text-xs italic text-white/80" data-complete="false">en cours</td>`;
    if (r.den === 0) return html`<td class="px-2 py-1.5 text-center text-white/80" data-complete="true">${DASH}</td>`;
    if (r.low_sample) {
        return html`<td class="px-2 py-1.5 text-center text-xs text-white/80" data-complete="true" title="pas assez de données">${formatNumber(r.num)} / ${formatNumber(r.den)}</td>`;
    }
    // the shade repeats the rate (at most 60 % opaque at 100 %): the text stays readable on it
    return html`<td class="px-2 py-1.5 text-center" data-complete="true" style=${{ background: `rgba(56, 189, 248, ${(0.6 * (r.value ?? 0)) / 100})` }}>
        <span class="font-semibold">${formatPercent(r.value)}</span> <span class="text-xs text-white/90">(${formatNumber(r.num)})</span></td>`;
};

export const CohortsSection = () => {
    const { doc, coachId } = useDashboard();
    const [data, setData] = useState(/** @type {Cohorts | null} */ (null));
    const [problem, setProblem] = useState(/** @type {string | null} */ (null));
    const [step, setStep] = useState(/** @type {Step} */ ('qualified'));
    useEffect(() => {
        let current = true;
        fetchCohorts(coachId).then((c) => current && (setData(c), setProblem(null)), (e) => current && setProblem(describe(e).message));
        return () => {
            current = false;
        };
    }, [coachId, doc.last_updated]);
    const exportCsv = () => data && download(cohortsCsv(data), csvFileName(['cohortes', doc.coach.name, data.today]));
    return html`<${Section} id="cohorts" title="Cohortes" icon=${Grid3x3}>
        <p class="text-sm text-white/80">Les leads de chaque semaine (premier contact) et combien sont qualifiés, ont réservé un call ou acheté dans les 7, 14 et 30 jours. « en cours » : la fenêtre n’est pas encore finie pour tous les leads de la semaine.</p>
        ${problem && html`<p role="alert" class="text-sm text-amber-200">${problem}</p>`}
        ${!data ? !problem && html`<${Skeleton} class="h-48" />` : html`
            <div class="flex flex-wrap items-center justify-between gap-2">
                <div role="radiogroup" aria-label="Étape affichée" class="flex flex-wrap gap-1" data-testid="cohort-steps">
                    ${STEPS.map(([key, label]) => html`<button key=${key} type="button" role="radio" aria-checked=${step === key}
                        class=${step === key ? `${BUTTON} px-3 py-1.5 text-sm` : GHOST_BUTTON} onClick=${() => setStep(key)} data-step=${key}>${label}</button>`)}
                </div>
                <button type="button" class=${GHOST_BUTTON} onClick=${exportCsv} data-testid="cohorts-csv"><${Download} size=${16} aria-hidden="true" />Exporter en CSV</button>
            </div>
            <div class="overflow-x-auto rounded-lg border border-white/20" tabindex="0" role="region" aria-label="Cohortes par semaine">
                <table class="w-full text-sm tabular-nums" data-testid="cohorts">
                    <caption class="sr-only">${STEPS.find(([k]) => k === step)?.[1]} dans les 7, 14 et 30 jours, par semaine de premier contact</caption>
                    <thead class="text-white/80"><tr>
                        <th scope="col" class="px-2 py-2 text-left font-medium">Semaine</th>
                        <th scope="col" class="px-2 py-2 text-right font-medium">Leads</th>
                        <th scope="col" class="px-2 py-2 text-right font-medium">Encore ouverts</th>
                        ${data.windows.map((d) => html`<th key=${d} scope="col" class="px-2 py-2 text-center font-medium">${d} j</th>`)}
                    </tr></thead>
                    <tbody class="divide-y divide-white/10">
                        ${data.weeks.map((w) => html`<tr key=${w.week_start} data-week=${w.week_start}>
                            <th scope="row" class="whitespace-nowrap px-2 py-1.5 text-left font-normal">${formatDayRange(w.week_start, w.week_end)}</th>
                            <td class="px-2 py-1.5 text-right" data-field="leads">${formatNumber(w.leads)}</td>
                            <td class="px-2 py-1.5 text-right" data-field="open">${formatNumber(w.open)}</td>
                            ${data.windows.map((d) => html`<${Cell} key=${d} w=${w.windows[String(d)]} step=${step} />`)}
                        </tr>`)}
                    </tbody>
                </table>
            </div>`}
    <//>`;
};
