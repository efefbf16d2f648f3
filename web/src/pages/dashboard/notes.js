// @ts-check
// Notes on the timeline (issue 22): the coach dates what it changed ("nouveau script d’accroche", "pub lancée",
// "vacances"); each note is a marker on the trend and, here, the headline KPIs before and after it as SQL computes
// them (get_timeline_notes), with the page's low-sample rule. Formats only. Loaded on demand (index.js); the notes
// themselves are fetched by useTimelineNotes (timeline-notes.js), which the trend's markers need too.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { StickyNote, Trash2 } from 'lucide-preact';
import { addTimelineNote, deleteTimelineNote } from '../../api.js';
import { describe } from '../../errors.js';
import { formatChange, formatDay, formatDayRange, formatMoney, formatNumber, formatPoints, formatRate } from '../../format.js';
import { todayIn } from '../../period.js';
import { BUTTON, Card, INPUT } from '../../ui.js';

/** @typedef {import('../../dashboard-types').TimelineNote} TimelineNote */
/** @typedef {import('../../dashboard-types').Metric} Metric */
/** @typedef {import('../../dashboard-types').PeriodRate} PeriodRate */

/** A Metric or PeriodRate's before → after and its change; "comparaison non significative" when it is not comparable. */
const Row = (/** @type {{ label: string, metric?: Metric, rate?: PeriodRate, money?: (n: number) => string }} */ { label, metric, rate, money }) => {
    const fmt = (/** @type {number | null} */ n) => (money ? money(n ?? 0) : formatNumber(n));
    const before = rate ? formatRate(rate.previous) : fmt(metric?.previous ?? null);
    const after = rate ? formatRate(rate) : fmt(metric?.value ?? null);
    const comparable = rate ? rate.comparable : metric?.comparable;
    const change = rate ? formatPoints(rate.change_points) : formatChange(metric?.change_pct ?? null);
    return html`<tr>
        <th scope="row" class="py-1 pr-2 text-left font-normal text-white/80">${label}</th>
        <td class="px-2 py-1 text-right" data-field="before">${before}</td>
        <td class="px-2 py-1 text-right" data-field="after">${after}</td>
        <td class=${`py-1 pl-2 text-right ${comparable ? '' : 'text-xs text-white/70'}`} data-field="change" data-comparable=${comparable ? 'true' : 'false'}>
            ${comparable ? change : 'comparaison non significative'}</td>
    </tr>`;
};

/** @param {{ note: TimelineNote, currency: string, readOnly: boolean, onDelete: (id: string) => void }} props */
const NoteItem = ({ note, currency, readOnly, onDelete }) => {
    const c = note.compare;
    return html`<li class="space-y-2 py-3" data-note=${note.id}>
        <div class="flex items-start justify-between gap-2">
            <p><span class="font-semibold">${formatDay(note.day, true)}</span> · <span class="break-words">${note.note}</span></p>
            ${!readOnly && html`<button type="button" class="rounded p-1 text-white/80 hover:bg-white/10" onClick=${() => onDelete(note.id)}
                aria-label=${`Supprimer la note du ${formatDay(note.day, true)}`} data-testid="note-delete"><${Trash2} size=${16} aria-hidden="true" /></button>`}
        </div>
        ${!c
            ? html`<p class="text-sm text-white/80">Pas de données avant cette date : pas de comparaison.</p>`
            : html`<div class="overflow-x-auto" tabindex="0" role="region" aria-label=${`Avant et après la note du ${formatDay(note.day, true)}`}>
                <table class="w-full text-sm tabular-nums" data-testid="note-compare">
                    <caption class="text-left text-xs text-white/80">${c.days} jour${c.days > 1 ? 's' : ''} avant (${formatDayRange(c.before.start, c.before.end)}) et après (${formatDayRange(c.after.start, c.after.end)})</caption>
                    <thead class="text-white/80"><tr><th scope="col" class="py-1 pr-2 text-left font-medium">Indicateur</th><th scope="col" class="px-2 py-1 text-right font-medium">Avant</th>
                        <th scope="col" class="px-2 py-1 text-right font-medium">Après</th><th scope="col" class="py-1 pl-2 text-right font-medium">Évolution</th></tr></thead>
                    <tbody class="divide-y divide-white/10">
                        <${Row} label="Nouveaux leads" metric=${c.new_leads} />
                        <${Row} label="Réponse au 1er DM" rate=${c.dm1_reply_rate} />
                        <${Row} label="Calls réservés" metric=${c.calls_booked} />
                        <${Row} label="Ventes" metric=${c.deals_won} />
                        <${Row} label="Chiffre d’affaires" metric=${c.revenue} money=${(/** @type {number} */ n) => formatMoney(n, currency)} />
                    </tbody>
                </table>
            </div>`}
    </li>`;
};

/**
 * @param {{ notes: TimelineNote[] | null, problem: string | null, reload: () => Promise<void>, timezone: string, currency: string,
 *   readOnly: boolean, notify: (message: string, tone?: 'error' | 'success') => void }} props
 */
export const NotesCard = ({ notes, problem, reload, timezone, currency, readOnly, notify }) => {
    const today = todayIn(timezone);
    const [day, setDay] = useState(today);
    const [text, setText] = useState('');
    const [error, setError] = useState(/** @type {string | null} */ (null));
    const [busy, setBusy] = useState(false);
    const submit = async (/** @type {Event} */ e) => {
        e.preventDefault();
        const wrong = !day ? 'Choisissez une date.' : day > today ? 'La date ne peut pas être dans le futur.'
            : !text.trim() ? 'Écrivez la note.' : text.trim().length > 200 ? 'La note fait plus de 200 caractères.' : null;
        setError(wrong);
        if (wrong) return;
        setBusy(true);
        try {
            await addTimelineNote(day, text);
            setText('');
            await reload();
            notify('Note ajoutée.', 'success');
        } catch (err) {
            setError(describe(err).message);
        } finally {
            setBusy(false);
        }
    };
    const remove = async (/** @type {string} */ id) => {
        try {
            await deleteTimelineNote(id);
            await reload();
            notify('Note supprimée.', 'success');
        } catch (err) {
            notify(describe(err).message);
        }
    };
    return html`<${Card} testid="notes-card">
        <h2 class="mb-1 flex items-center gap-2 text-lg font-semibold"><${StickyNote} size=${18} aria-hidden="true" />Notes</h2>
        <p class="mb-3 text-sm text-white/80">Datez ce que vous changez (nouveau script, pub, vacances) : la tendance le marque et vous voyez l’avant / après.</p>
        ${!readOnly && html`<form class="mb-2 flex flex-wrap items-end gap-2" onSubmit=${submit} noValidate data-testid="note-form">
            <label class="text-sm text-white/80">Date
                <input type="date" name="day" class=${`${INPUT} mt-1 block [color-scheme:dark] focus-within:ring-2 focus-within:ring-sky-300`} value=${day} max=${today} required
                    onInput=${(/** @type {any} */ e) => setDay(e.currentTarget.value)} /></label>
            <label class="min-w-0 flex-1 text-sm text-white/80">Note
                <input type="text" name="note" class=${`${INPUT} mt-1 block`} value=${text} maxlength="200" required placeholder="Nouveau script d’accroche"
                    onInput=${(/** @type {any} */ e) => setText(e.currentTarget.value)} aria-invalid=${error ? 'true' : undefined}
                    aria-describedby=${error ? 'note-error' : undefined} /></label>
            <button type="submit" class=${BUTTON} disabled=${busy} data-testid="note-add">Ajouter</button>
            ${error && html`<p id="note-error" role="alert" class="w-full text-sm text-amber-200" data-testid="note-error">${error}</p>`}
        </form>`}
        ${problem && html`<p role="alert" class="text-sm text-amber-200">${problem}</p>`}
        ${notes && notes.length === 0 && html`<p class="text-sm text-white/80" data-testid="notes-empty">Aucune note sur cette période.</p>`}
        ${notes && notes.length > 0 && html`<ul class="divide-y divide-white/10" data-testid="notes">
            ${[...notes].reverse().map((n) => html`<${NoteItem} key=${n.id} note=${n} currency=${currency} readOnly=${readOnly} onDelete=${remove} />`)}
        </ul>`}
    <//>`;
};
