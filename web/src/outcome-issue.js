// @ts-check
// The "Issue" button of the follow-up list and the drill-down of calls. The outcome actions (outcome-actions.js, their
// icons and RPCs) are loaded when a coach first opens one, so they stay out of the dashboard's first load: until the
// chunk is there the button stays, marked busy; then the menu opens with its first action focused. A chunk that cannot
// be loaded says so next to the button, which tries again.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { ChevronDown } from 'lucide-preact';

export const ACTION = 'inline-flex items-center gap-1.5 rounded-lg border border-white/30 px-2.5 py-1.5 text-xs font-medium text-white hover:bg-white/10 disabled:opacity-70';

/** @typedef {Parameters<typeof import('./outcome-actions.js').OutcomeActions>[0]} OutcomeProps */
/** @type {import('preact').FunctionComponent<OutcomeProps> | undefined} */
let Actions;
/** @type {Promise<unknown> | undefined} */
let pending;
const load = () => (pending ??= import('./outcome-actions.js').then((m) => { Actions = m.OutcomeActions; }, (e) => { pending = undefined; throw e; }));

/** @param {Omit<OutcomeProps, 'compact' | 'open'>} props */
export function OutcomeIssue(props) {
    const [opened, setOpened] = useState(false);
    const [, setLoaded] = useState(false);
    const [failed, setFailed] = useState(false);
    if (opened && Actions) return html`<${Actions} ...${props} compact open />`;
    const open = () => {
        setFailed(false);
        setOpened(true);
        load().then(() => setLoaded(true), () => { setOpened(false); setFailed(true); });
    };
    return html`<div class="relative" data-testid="outcome-actions">
        <button type="button" class=${ACTION} aria-expanded="false" aria-haspopup="true" data-action="open"
            aria-busy=${opened ? 'true' : undefined} aria-label=${`Enregistrer une issue pour ${props.who}`} onClick=${open}>
            Issue<${ChevronDown} size=${14} aria-hidden="true" /></button>
        ${failed && html`<p role="alert" class="mt-2 text-sm text-red-200">Chargement impossible : vérifiez la connexion et réessayez.</p>`}
    </div>`;
}
