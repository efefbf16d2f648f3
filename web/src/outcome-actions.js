// @ts-check
// The coach records what happened with a lead, in one or two taps: call showed / no-show (one tap), won (a tap, the
// deal, save), lost (a tap, a reason, save), back to follow-up and "Relancé" (one tap). Each button is one RPC
// (lead-api.js); the SQL records it in the lead's history with its source. On the lead page the actions are shown
// as they are; in the follow-up list and the drill-down a button "Issue" opens them (compact).
import { html } from 'htm/preact';
import { useRef, useState } from 'preact/hooks';
import { CalendarCheck, CalendarX, ChevronDown, PhoneForwarded, RotateCcw, ThumbsDown, Trophy } from 'lucide-preact';
import { describe } from './errors.js';
import { backToFollowUp, markFollowedUp, markLost, markNoShow, markShowed, markWon } from './lead-api.js';
import { LOST_REASON_LABELS } from './labels.js';
import { BUTTON, Dialog, GHOST_BUTTON, INPUT, useDismiss } from './ui.js';

/** @typedef {import('./lead-types').LeadOutcome} LeadOutcome */

const ACTION = 'inline-flex items-center gap-1.5 rounded-lg border border-white/30 px-2.5 py-1.5 text-xs font-medium text-white hover:bg-white/10 disabled:opacity-70';

/**
 * @param {{ leadId: string, who: string, currency: string, compact?: boolean, onDone: (o: LeadOutcome, message: string) => void,
 *   onError?: (message: string) => void }} props
 */
export function OutcomeActions({ leadId, who, currency, compact = false, onDone, onError }) {
    const [busy, setBusy] = useState('');
    const [form, setForm] = useState(/** @type {'' | 'won' | 'lost'} */ (''));
    const [menu, setMenu] = useState(false);
    const [problem, setProblem] = useState('');
    const box = useRef(/** @type {HTMLDivElement | null} */ (null));
    useDismiss(menu, () => setMenu(false), box);

    /** @param {string} name @param {() => Promise<LeadOutcome>} run @param {string} done */
    const act = async (name, run, done) => {
        setBusy(name);
        setProblem('');
        setMenu(false);
        try {
            const outcome = await run();
            setForm('');
            onDone(outcome, done);
        } catch (e) {
            const message = describe(e).message;
            if (form) setProblem(message);
            else if (onError) onError(message);
            else setProblem(message);
        }
        setBusy('');
    };

    const buttons = html`
        <button type="button" class=${ACTION} disabled=${!!busy} data-action="showed"
            onClick=${() => act('showed', () => markShowed(leadId), `Call de ${who} : présent.`)}>
            <${CalendarCheck} size=${14} aria-hidden="true" />Présent</button>
        <button type="button" class=${ACTION} disabled=${!!busy} data-action="no-show"
            onClick=${() => act('no-show', () => markNoShow(leadId), `Call de ${who} : absent.`)}>
            <${CalendarX} size=${14} aria-hidden="true" />Absent</button>
        <button type="button" class=${ACTION} disabled=${!!busy} data-action="won" onClick=${() => { setMenu(false); setProblem(''); setForm('won'); }}>
            <${Trophy} size=${14} aria-hidden="true" />Gagné…</button>
        <button type="button" class=${ACTION} disabled=${!!busy} data-action="lost" onClick=${() => { setMenu(false); setProblem(''); setForm('lost'); }}>
            <${ThumbsDown} size=${14} aria-hidden="true" />Perdu…</button>
        <button type="button" class=${ACTION} disabled=${!!busy} data-action="follow-up"
            onClick=${() => act('follow-up', () => backToFollowUp(leadId), `${who} est de nouveau à relancer.`)}>
            <${RotateCcw} size=${14} aria-hidden="true" />À relancer</button>
        <button type="button" class=${ACTION} disabled=${!!busy} data-action="followed-up"
            onClick=${() => act('followed-up', () => markFollowedUp(leadId), `Relance de ${who} enregistrée.`)}>
            <${PhoneForwarded} size=${14} aria-hidden="true" />Relancé</button>`;

    return html`<div class="relative" ref=${box} data-testid="outcome-actions">
        ${compact
            ? html`<button type="button" class=${ACTION} aria-expanded=${menu} aria-haspopup="true" data-action="open"
                  aria-label=${`Enregistrer une issue pour ${who}`} onClick=${() => setMenu(!menu)}>
                  Issue<${ChevronDown} size=${14} aria-hidden="true" /></button>
              ${menu && html`<div class="absolute right-0 top-full z-30 mt-1 flex w-56 flex-wrap gap-2 rounded-lg border border-white/20 bg-slate-900 p-2 shadow-2xl"
                  role="group" aria-label=${`Issue pour ${who}`}>${buttons}</div>`}`
            : html`<div class="flex flex-wrap gap-2" role="group" aria-label="Enregistrer une issue">${buttons}</div>`}
        ${problem && !form && html`<p role="alert" class="mt-2 text-sm text-red-200">${problem}</p>`}
        <${WonDialog} open=${form === 'won'} who=${who} currency=${currency} busy=${busy === 'won'} problem=${problem}
            onClose=${() => setForm('')}
            onSave=${(/** @type {{ value: number, plan: 'paid_now' | 'instalments', instalments: number | null }} */ deal) =>
                act('won', () => markWon(leadId, deal), `${who} : gagné.`)} />
        <${LostDialog} open=${form === 'lost'} who=${who} busy=${busy === 'lost'} problem=${problem}
            onClose=${() => setForm('')}
            onSave=${(/** @type {string} */ reason, /** @type {string} */ note) => act('lost', () => markLost(leadId, reason, note), `${who} : perdu.`)} />
    </div>`;
}

/** A number typed in French or English ("1 200,50", "1200.5"); NaN when it is not one. @param {string} text */
export const parseAmount = (text) => {
    const t = text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
    return /^\d+(\.\d+)?$/.test(t) ? Number(t) : NaN;
};

/** @param {{ open: boolean, who: string, currency: string, busy: boolean, problem: string, onClose: () => void, onSave: (deal: { value: number, plan: 'paid_now' | 'instalments', instalments: number | null }) => void }} props */
function WonDialog({ open, who, currency, busy, problem, onClose, onSave }) {
    const [value, setValue] = useState('');
    const [plan, setPlan] = useState(/** @type {'paid_now' | 'instalments'} */ ('paid_now'));
    const [instalments, setInstalments] = useState('');
    const [local, setLocal] = useState('');
    const submit = (/** @type {Event} */ e) => {
        e.preventDefault();
        const amount = parseAmount(value);
        if (!(amount > 0)) return setLocal('Indiquez la valeur du deal, par exemple 1 200.');
        const n = instalments.trim() ? Number(instalments) : null;
        if (plan === 'instalments' && n != null && !(Number.isInteger(n) && n >= 2 && n <= 60)) {
            return setLocal('Indiquez un nombre d’échéances entre 2 et 60.');
        }
        setLocal('');
        onSave({ value: amount, plan, instalments: plan === 'instalments' ? n : null });
    };
    const message = local || problem;
    return html`<${Dialog} open=${open} onClose=${onClose} title=${`${who} : gagné`} testid="won-dialog">
        <form class="space-y-4" onSubmit=${submit} noValidate>
            <div>
                <label for="deal-value" class="mb-1 block text-sm font-medium">Valeur du deal (${currency})</label>
                <input id="deal-value" class=${INPUT} inputmode="decimal" autocomplete="off" value=${value} data-testid="deal-value"
                    aria-invalid=${!!message} aria-describedby=${message ? 'won-error' : undefined}
                    onInput=${(/** @type {InputEvent} */ e) => setValue(/** @type {HTMLInputElement} */ (e.currentTarget).value)} />
            </div>
            <fieldset>
                <legend class="mb-1 text-sm font-medium">Paiement</legend>
                <label class="mr-4 inline-flex items-center gap-2 text-sm"><input type="radio" name="plan" value="paid_now" checked=${plan === 'paid_now'}
                    onChange=${() => setPlan('paid_now')} data-testid="plan-paid-now" />Payé en une fois</label>
                <label class="inline-flex items-center gap-2 text-sm"><input type="radio" name="plan" value="instalments" checked=${plan === 'instalments'}
                    onChange=${() => setPlan('instalments')} data-testid="plan-instalments" />En plusieurs fois</label>
            </fieldset>
            ${plan === 'instalments' && html`<div>
                <label for="instalments" class="mb-1 block text-sm font-medium">Nombre d’échéances (facultatif)</label>
                <input id="instalments" class=${INPUT} inputmode="numeric" value=${instalments} data-testid="instalment-count"
                    onInput=${(/** @type {InputEvent} */ e) => setInstalments(/** @type {HTMLInputElement} */ (e.currentTarget).value)} />
            </div>`}
            ${message && html`<p id="won-error" role="alert" class="text-sm text-red-200">${message}</p>`}
            <div class="flex justify-end gap-2">
                <button type="button" class=${GHOST_BUTTON} onClick=${onClose}>Annuler</button>
                <button type="submit" class=${BUTTON} disabled=${busy} data-testid="won-save">${busy ? 'Enregistrement…' : 'Enregistrer'}</button>
            </div>
        </form>
    <//>`;
}

/** @param {{ open: boolean, who: string, busy: boolean, problem: string, onClose: () => void, onSave: (reason: string, note: string) => void }} props */
function LostDialog({ open, who, busy, problem, onClose, onSave }) {
    const [reason, setReason] = useState('');
    const [note, setNote] = useState('');
    const [local, setLocal] = useState('');
    const submit = (/** @type {Event} */ e) => {
        e.preventDefault();
        if (!reason) return setLocal('Choisissez une raison.');
        setLocal('');
        onSave(reason, note.trim());
    };
    const message = local || problem;
    return html`<${Dialog} open=${open} onClose=${onClose} title=${`${who} : perdu`} testid="lost-dialog">
        <form class="space-y-4" onSubmit=${submit} noValidate>
            <div>
                <label for="lost-reason" class="mb-1 block text-sm font-medium">Raison</label>
                <select id="lost-reason" class=${`${INPUT} [&>option]:text-slate-900`} value=${reason} data-testid="lost-reason"
                    onChange=${(/** @type {Event} */ e) => setReason(/** @type {HTMLSelectElement} */ (e.currentTarget).value)}>
                    <option value="">Choisir…</option>
                    ${Object.entries(LOST_REASON_LABELS).map(([k, label]) => html`<option key=${k} value=${k}>${label}</option>`)}
                </select>
            </div>
            <div>
                <label for="lost-note" class="mb-1 block text-sm font-medium">Note (facultative)</label>
                <textarea id="lost-note" class=${INPUT} rows="3" maxLength="2000" value=${note} data-testid="lost-note"
                    onInput=${(/** @type {InputEvent} */ e) => setNote(/** @type {HTMLTextAreaElement} */ (e.currentTarget).value)}></textarea>
            </div>
            ${message && html`<p role="alert" class="text-sm text-red-200">${message}</p>`}
            <div class="flex justify-end gap-2">
                <button type="button" class=${GHOST_BUTTON} onClick=${onClose}>Annuler</button>
                <button type="submit" class=${BUTTON} disabled=${busy} data-testid="lost-save">${busy ? 'Enregistrement…' : 'Enregistrer'}</button>
            </div>
        </form>
    <//>`;
}
