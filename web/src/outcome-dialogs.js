// @ts-check
// The forms of the won and lost outcomes (outcome-actions.js loads them on demand, when the coach opens one).
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { LOST_REASON_LABELS } from './labels.js';
import { BUTTON, Dialog, GHOST_BUTTON, INPUT } from './ui.js';

/** A number typed in French or English ("1 200,50", "1200.5"); NaN when it is not one. @param {string} text */
export const parseAmount = (text) => {
    const t = text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
    return /^\d+(\.\d+)?$/.test(t) ? Number(t) : NaN;
};

/** @param {{ open: boolean, who: string, currency: string, busy: boolean, problem: string, onClose: () => void, onSave: (deal: { value: number, plan: 'paid_now' | 'instalments', instalments: number | null }) => void }} props */
export function WonDialog({ open, who, currency, busy, problem, onClose, onSave }) {
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
export function LostDialog({ open, who, busy, problem, onClose, onSave }) {
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
