// @ts-check
// Drill-down: the leads behind a count for the period (get_kpi_leads, keyset-paginated: 50 a page, "Afficher plus")
// and their CSV export (every page, 500 at a time).
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { Download, ExternalLink } from 'lucide-preact';
import { fetchKpiLeads } from '../../api.js';
import { csvDateTime, csvFileName, csvNumber, csvText, toCsv } from '../../csv.js';
import { describe } from '../../errors.js';
import { DASH, formatDayRange, formatMoney, formatNumber } from '../../format.js';
import { sourceLabel, statusLabel } from '../../labels.js';
import { BUTTON, Dialog, GHOST_BUTTON } from '../../ui.js';
import { profileUrl } from './follow-up.js';
import { useDashboard } from './context.js';
import { leadHref } from '../../format.js';
import { OutcomeIssue } from '../../outcome-issue.js';

/** @typedef {import('../../api.js').KpiLead} KpiLead */

const PAGE = 50;
const EXPORT_PAGE = 500;

/** The CSV of a drill-down list (csv.js: BOM, `;`, decimal commas). @param {KpiLead[]} rows @param {string} currency @param {string} timeZone */
export const leadsCsv = (rows, currency, timeZone) =>
    toCsv(
        ['Instagram', 'Prénom', 'Statut', 'Source', 'Date', `Valeur du deal (${currency})`],
        rows.map((r) => [
            csvText(r.instagram_username), csvText(r.first_name), csvText(statusLabel(r.status)),
            csvText(r.source == null ? null : sourceLabel(r.source)), csvDateTime(r.event_at, timeZone), csvNumber(r.deal_value),
        ]),
    );

/** Saves text as a file through a temporary link. @param {string} text @param {string} name */
export const download = (text, name) => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
};

/** @param {{ target: { kpi: string, label: string } | null, onClose: () => void }} props */
export const DrillDown = ({ target, onClose }) => {
    const { doc, coachId, period, readOnly } = useDashboard();
    const [done, setDone] = useState('');
    // the calls list: the coach records each call's outcome from it
    const calls = target?.kpi === 'qualification.calls_booked';
    const [rows, setRows] = useState(/** @type {KpiLead[]} */ ([]));
    const [next, setNext] = useState(/** @type {string | null} */ (null));
    const [total, setTotal] = useState(0);
    const [busy, setBusy] = useState(/** @type {'' | 'page' | 'csv'} */ (''));
    const [problem, setProblem] = useState('');

    /** @param {string | null} after @param {number} size */
    const page = (after, size) => fetchKpiLeads({ kpi: /** @type {{ kpi: string }} */ (target).kpi, coachId, period: doc.period, after, pageSize: size });

    const more = async (/** @type {string | null} */ after) => {
        setBusy('page');
        setProblem('');
        try {
            const r = await page(after, PAGE);
            setRows((old) => (after ? [...old, ...r.rows] : r.rows));
            setNext(r.next);
            setTotal(r.total);
        } catch (e) {
            setProblem(describe(e).message);
        }
        setBusy('');
    };

    useEffect(() => {
        setRows([]);
        setNext(null);
        setTotal(0);
        if (target) more(null);
    }, [target?.kpi, doc.period.start, doc.period.end]);

    const exportCsv = async () => {
        if (!target) return;
        setBusy('csv');
        setProblem('');
        try {
            let all = rows;
            let after = next;
            while (after) {
                const r = await page(after, EXPORT_PAGE);
                all = [...all, ...r.rows];
                after = r.next;
            }
            const name = csvFileName(['leads', target.label, period.param, doc.period.start, doc.period.end]);
            download(leadsCsv(all, doc.coach.currency, doc.period.timezone), name);
        } catch (e) {
            setProblem(`Export impossible : ${describe(e).message}`);
        }
        setBusy('');
    };

    const cur = doc.coach.currency;
    return html`<${Dialog} open=${!!target} onClose=${onClose} testid="drilldown"
        title=${target ? html`${target.label} <span class="font-normal text-white/80">· ${formatDayRange(doc.period.start, doc.period.end)}</span>` : ''}>
        <div class="mb-3 flex flex-wrap items-center justify-between gap-2">
            <p class="text-sm text-white/80" data-testid="drilldown-count">${busy === 'page' && !rows.length ? 'Chargement…'
                : `${formatNumber(total)} lead${total > 1 ? 's' : ''}${rows.length < total ? ` · ${formatNumber(rows.length)} affichés` : ''}`}</p>
            <button type="button" class=${BUTTON} onClick=${exportCsv} disabled=${!!busy || total === 0} data-testid="drilldown-csv">
                <${Download} size=${16} aria-hidden="true" />${busy === 'csv' ? 'Export…' : 'Exporter en CSV'}</button>
        </div>
        ${done && html`<p role="status" class="mb-2 text-sm text-emerald-200" data-testid="outcome-done">${done}</p>`}
        ${rows.length > 0 && html`<p class="mb-1 text-xs text-white/80">Pour chaque lead : statut actuel, source et date à laquelle il compte dans ce chiffre.</p>`}
        ${problem && html`<p role="alert" class="mb-3 rounded-lg border border-red-400/40 bg-red-500/15 px-3 py-2 text-sm text-red-100">${problem}</p>`}
        <ul class="divide-y divide-white/10" data-list="drilldown">
            ${rows.map((r) => html`<li key=${r.lead_id} data-row=${r.lead_id} class="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 py-2 text-sm">
                <span class="min-w-0">
                    <a class="break-all font-semibold underline decoration-white/40 underline-offset-2" href=${leadHref(r.lead_id, coachId)}
                        data-link="lead">${r.instagram_username ? `@${r.instagram_username}` : r.first_name ?? 'Lead sans pseudo'}</a>
                    ${r.instagram_username && html`<a class="ml-1 inline-block align-middle text-white/80 hover:text-white" href=${profileUrl(r.instagram_username)}
                        target="_blank" rel="noopener noreferrer" aria-label=${`Profil Instagram de @${r.instagram_username} (nouvel onglet)`}><${ExternalLink} size=${12} aria-hidden="true" /></a>`}
                    ${r.instagram_username && r.first_name && html` <span class="text-white/80">${r.first_name}</span>`}
                </span>
                <span class="flex flex-wrap gap-x-3 text-white/80">
                    <span>${statusLabel(r.status)}</span><span>${r.source ? sourceLabel(r.source) : DASH}</span>
                    ${r.event_at && html`<span>${new Date(r.event_at).toLocaleDateString('fr-FR', { timeZone: doc.period.timezone })}</span>`}
                    ${r.deal_value != null && html`<span class="font-semibold text-white">${formatMoney(r.deal_value, cur)}</span>`}
                </span>
                ${calls && !readOnly && html`<${OutcomeIssue} leadId=${r.lead_id} who=${r.instagram_username ? `@${r.instagram_username}` : r.first_name ?? 'ce lead'}
                    currency=${cur} onDone=${(/** @type {unknown} */ _o, /** @type {string} */ m) => setDone(m)} />`}
            </li>`)}
        </ul>
        ${next && html`<button type="button" class=${`${GHOST_BUTTON} mt-3`} onClick=${() => more(next)} disabled=${!!busy}
            data-testid="drilldown-more">${busy === 'page' ? 'Chargement…' : 'Afficher plus'}</button>`}
    <//>`;
};
