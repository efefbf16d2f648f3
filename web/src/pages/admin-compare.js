// @ts-check
// /admin, "Comparer les coachs" (issue 22): every coach with leads side by side for a period (get_coach_comparison),
// sortable by any column, each row opening that coach's dashboard read-only for the same period. Formats only.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { ArrowDown, ArrowUp, ChartBar } from 'lucide-preact';
import { fetchCoachComparison } from '../api.js';
import { describe } from '../errors.js';
import { DASH, formatAgo, formatMoney, formatNumber, formatRate } from '../format.js';
import { PERIODS, dashboardHref } from '../period.js';
import { CARD, LINK, Skeleton } from '../ui.js';

/** @typedef {import('../dashboard-types').CoachComparisonRow} Row */
/** @typedef {'name' | 'new_leads' | 'dm1_reply_rate' | 'qualification_rate' | 'calls_booked' | 'deals_won' | 'revenue' | 'seconds_since_last_data'} Key */

/** @type {Array<[Key, string]>} */
const COLUMNS = [
    ['name', 'Coach'], ['new_leads', 'Nouveaux leads'], ['dm1_reply_rate', 'Réponse au 1er DM'], ['qualification_rate', 'Qualification'],
    ['calls_booked', 'Calls réservés'], ['deals_won', 'Ventes'], ['revenue', 'Chiffre d’affaires'], ['seconds_since_last_data', 'Dernières données'],
];

/** The value a column sorts on (a rate under the minimum sample sorts last, as "pas assez de données"). @param {Row} r @param {Key} k */
const sortValue = (r, k) => {
    const v = r[k];
    if (k === 'name') return r.name.toLowerCase();
    if (v && typeof v === 'object') return v.low_sample || v.value == null ? null : v.value;
    return /** @type {number | null} */ (v);
};

/** @param {{ now: number }} props */
export const CoachComparison = ({ now }) => {
    const periods = PERIODS.filter((p) => p.key !== 'today');
    const [period, setPeriod] = useState(periods[1]);
    const [rows, setRows] = useState(/** @type {Row[] | null} */ (null));
    const [problem, setProblem] = useState(/** @type {string | null} */ (null));
    const [sort, setSort] = useState(/** @type {{ key: Key, desc: boolean }} */ ({ key: 'new_leads', desc: true }));
    useEffect(() => {
        let current = true;
        setRows(null);
        fetchCoachComparison(period.key).then((r) => current && (setRows(r), setProblem(null)), (e) => current && setProblem(describe(e).message));
        return () => {
            current = false;
        };
    }, [period]);
    const sorted = [...(rows ?? [])].sort((a, b) => {
        const x = sortValue(a, sort.key);
        const y = sortValue(b, sort.key);
        if (x === y) return a.name.localeCompare(b.name);
        if (x == null) return 1;
        if (y == null) return -1;
        return (x < y ? -1 : 1) * (sort.desc ? -1 : 1);
    });
    const by = (/** @type {Key} */ key) => setSort((s) => ({ key, desc: s.key === key ? !s.desc : key !== 'name' && key !== 'seconds_since_last_data' }));
    return html`<section class=${`${CARD} p-4 sm:p-6`} aria-labelledby="compare-title" data-testid="coach-comparison">
        <div class="mb-3 flex flex-wrap items-center justify-between gap-3">
            <h2 id="compare-title" class="flex items-center gap-2 text-lg font-semibold"><${ChartBar} size=${20} aria-hidden="true" />Comparer les coachs</h2>
            <div role="radiogroup" aria-label="Période" class="flex gap-1 rounded-xl border border-white/20 bg-white/10 p-1 text-sm">
                ${periods.map((p) => html`<button key=${p.key} type="button" role="radio" aria-checked=${p === period} data-period=${p.param}
                    class=${`rounded-lg px-3 py-1 ${p === period ? 'bg-white text-slate-900' : 'text-white hover:bg-white/10'}`} onClick=${() => setPeriod(p)}>${p.label}</button>`)}
            </div>
        </div>
        ${problem && html`<p role="alert" class="text-sm text-red-100">${problem}</p>`}
        ${!rows ? !problem && html`<${Skeleton} class="h-40" />`
            : rows.length === 0 ? html`<p class="text-sm text-white/80">Aucun coach n’a encore de leads.</p>`
            : html`<div class="overflow-x-auto" tabindex="0" role="region" aria-label="Coachs côte à côte">
                <table class="w-full text-sm tabular-nums" data-testid="comparison-table">
                    <thead class="text-white/80"><tr>
                        ${COLUMNS.map(([key, label]) => html`<th key=${key} scope="col" class=${`py-2 pr-3 font-medium ${key === 'name' ? 'text-left' : 'text-right'}`}
                            aria-sort=${sort.key === key ? (sort.desc ? 'descending' : 'ascending') : undefined}>
                            <button type="button" class="inline-flex items-center gap-1 rounded hover:text-white" onClick=${() => by(key)} data-sort=${key}>${label}
                                ${sort.key === key && html`<${sort.desc ? ArrowDown : ArrowUp} size=${14} aria-hidden="true" />`}</button></th>`)}
                    </tr></thead>
                    <tbody class="divide-y divide-white/10">
                        ${sorted.map((r) => html`<tr key=${r.coach_id} data-coach=${r.coach_id}>
                            <th scope="row" class="py-2 pr-3 text-left font-normal">
                                <a class=${LINK} href=${dashboardHref(period, r.coach_id)} data-testid="compare-open">${r.name}</a>
                                <span class="block text-xs text-white/80">${r.email}</span></th>
                            <td class="py-2 pr-3 text-right" data-field="new_leads">${formatNumber(r.new_leads)}</td>
                            <td class="py-2 pr-3 text-right" data-field="dm1_reply_rate">${formatRate(r.dm1_reply_rate)}</td>
                            <td class="py-2 pr-3 text-right" data-field="qualification_rate">${formatRate(r.qualification_rate)}</td>
                            <td class="py-2 pr-3 text-right" data-field="calls_booked">${formatNumber(r.calls_booked)}</td>
                            <td class="py-2 pr-3 text-right" data-field="deals_won">${formatNumber(r.deals_won)}</td>
                            <td class="py-2 pr-3 text-right" data-field="revenue">${formatMoney(r.revenue, r.currency)}</td>
                            <td class="py-2 text-right" data-field="last_data">${r.last_data_at ? formatAgo(r.last_data_at, now) : DASH}</td>
                        </tr>`)}
                    </tbody>
                </table>
            </div>`}
    </section>`;
};
