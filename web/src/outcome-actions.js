// @ts-check
// The coach records what happened with a lead, in one or two taps: call showed / no-show (one tap), won (a tap, the
// deal, save), lost (a tap, a reason, save), back to follow-up and "Relancé" (one tap). Each button is one RPC
// (lead-api.js); the SQL records it in the lead's history with its source. On the lead page the actions are shown
// as they are; in the follow-up list and the drill-down a button "Issue" opens them (compact; outcome-issue.js loads
// this file when it is first opened, then shows it with the menu open).
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { lazy } from 'preact-iso';
import { CalendarCheck, CalendarX, ChevronDown, PhoneForwarded, RotateCcw, ThumbsDown, Trophy } from 'lucide-preact';
import { describe } from './errors.js';
import { backToFollowUp, markFollowedUp, markLost, markNoShow, markShowed, markWon } from './lead-api.js';
import { useDismiss } from './ui.js';
import { ACTION } from './outcome-issue.js';

// the forms are loaded when the coach opens one: they stay out of the dashboard's first load
const WonDialog = lazy(() => import('./outcome-dialogs.js').then((m) => m.WonDialog));
const LostDialog = lazy(() => import('./outcome-dialogs.js').then((m) => m.LostDialog));

/** @typedef {import('./lead-types').LeadOutcome} LeadOutcome */

/**
 * @param {{ leadId: string, who: string, currency: string, compact?: boolean, open?: boolean,
 *   onDone: (o: LeadOutcome, message: string) => void, onError?: (message: string) => void }} props
 *   open: the compact menu starts open, its first action focused (the coach has just pressed "Issue")
 */
export function OutcomeActions({ leadId, who, currency, compact = false, open = false, onDone, onError }) {
    const [busy, setBusy] = useState('');
    const [form, setForm] = useState(/** @type {'' | 'won' | 'lost'} */ (''));
    const [menu, setMenu] = useState(open);
    const [problem, setProblem] = useState('');
    const box = useRef(/** @type {HTMLDivElement | null} */ (null));
    useDismiss(menu, () => setMenu(false), box);
    useEffect(() => {
        if (open) /** @type {HTMLButtonElement | null | undefined} */ (box.current?.querySelector('[role=group] button'))?.focus();
    }, []);

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
        ${form === 'won' && html`<${WonDialog} open who=${who} currency=${currency} busy=${busy === 'won'} problem=${problem}
            onClose=${() => setForm('')}
            onSave=${(/** @type {{ value: number, plan: 'paid_now' | 'instalments', instalments: number | null }} */ deal) =>
                act('won', () => markWon(leadId, deal), `${who} : gagné.`)} />`}
        ${form === 'lost' && html`<${LostDialog} open who=${who} busy=${busy === 'lost'} problem=${problem}
            onClose=${() => setForm('')}
            onSave=${(/** @type {string} */ reason, /** @type {string} */ note) => act('lost', () => markLost(leadId, reason, note), `${who} : perdu.`)} />`}
    </div>`;
}

