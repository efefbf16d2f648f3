// @ts-check
// Getting started: what a new coach does before the first numbers come — connect n8n with its coach id, give the
// setter's cost, then the first lead arrives. Each step checks itself from the period document (a lead received:
// has_leads; the cost given: performance.setter_cost_estimated false), so the list moves on by itself with the live
// updates. Without any lead it is the whole empty state; after the first lead, while the cost is still the default,
// a short version stays above the tiles until the coach hides it.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { Check, Copy, ExternalLink, Rocket, X } from 'lucide-preact';
import { BUTTON, CARD, GHOST_BUTTON, LINK } from '../../ui.js';

/** @typedef {import('../../dashboard-types').PeriodDashboard} PeriodDashboard */

/** Where the page serves the n8n guide and its workflow (scripts/build-web.mjs copies them from docs/). */
export const N8N_GUIDE = '/guides/n8n.txt';
export const N8N_WORKFLOW = '/guides/n8n/setter-workflow.json';

/** @param {{ done: boolean, n: number, title: string, children?: import('preact').ComponentChildren, testid: string }} props */
const Step = ({ done, n, title, children, testid }) =>
    html`<li class="flex gap-3" data-testid=${testid} data-done=${done ? 'true' : 'false'}>
        <span class=${`mt-0.5 inline-flex h-6 w-6 shrink-0 items-center justify-center rounded-full text-xs font-bold ${
            done ? 'bg-emerald-400 text-slate-900' : 'border border-white/40 text-white'}`} aria-hidden="true">${done ? html`<${Check} size=${14} />` : n}</span>
        <div class="min-w-0 flex-1">
            <p class="font-semibold">${title}<span class="sr-only">${done ? ' : fait' : ' : à faire'}</span></p>
            ${children && html`<div class="mt-1 space-y-2 text-sm text-white/80">${children}</div>`}
        </div>
    </li>`;

/** The coach id, selectable, with a copy button (the clipboard may be refused: the id is then selected). @param {{ id: string }} props */
const CoachId = ({ id }) => {
    const [copied, setCopied] = useState(/** @type {'' | 'ok' | 'select'} */ (''));
    const copy = async () => {
        try {
            await navigator.clipboard.writeText(id);
            setCopied('ok');
        } catch {
            /** @type {HTMLInputElement | null} */ (document.getElementById('coach-id'))?.select();
            setCopied('select');
        }
    };
    return html`<div class="flex flex-wrap items-center gap-2">
        <label for="coach-id" class="sr-only">Votre identifiant de coach</label>
        <input id="coach-id" readonly value=${id} data-testid="coach-id" onFocus=${(/** @type {any} */ e) => e.currentTarget.select()}
            class="min-w-0 flex-1 rounded-lg border border-white/30 bg-white/10 px-3 py-2 font-mono text-xs text-white sm:text-sm" />
        <button type="button" class=${GHOST_BUTTON} onClick=${copy} data-testid="copy-coach-id">
            <${Copy} size=${16} aria-hidden="true" />Copier</button>
        <span role="status" class="text-xs text-emerald-200">${copied === 'ok' ? 'Identifiant copié.' : copied === 'select' ? 'Copiez l’identifiant sélectionné (Ctrl+C).' : ''}</span>
    </div>`;
};

/**
 * @param {{ doc: PeriodDashboard, readOnly: boolean, compact?: boolean, onHide?: () => void }} props
 */
export const Onboarding = ({ doc, readOnly, compact = false, onHide }) => {
    const received = doc.has_leads;
    const costGiven = !doc.performance.setter_cost_estimated;
    const steps = [received, costGiven, received];
    const done = steps.filter(Boolean).length;
    return html`<section class=${`${CARD} ${compact ? 'p-4' : 'mx-auto w-full max-w-2xl p-6 sm:p-8'}`} aria-labelledby="onboarding-title"
        data-testid=${compact ? 'onboarding' : 'empty-state'}>
        <div class="flex items-start gap-3">
            ${!compact && html`<div class="w-fit shrink-0 rounded-2xl bg-gradient-to-br from-blue-500 to-purple-600 p-3"><${Rocket} size=${28} aria-hidden="true" /></div>`}
            <div class="min-w-0 flex-1">
                <h2 id="onboarding-title" class=${compact ? 'font-semibold' : 'text-xl font-semibold'}>${
                    compact ? `Bien démarrer : ${done} étapes sur 3` : 'Bienvenue ! Encore quelques minutes avant vos premiers chiffres'}</h2>
                ${!compact && html`<p class="mt-1 text-sm text-white/80">Dès que votre setter IA échange avec un premier lead sur Instagram, vos leads,
                    messages et conversions apparaissent ici, en quelques secondes : inutile de recharger la page.</p>`}
            </div>
            ${compact && onHide && html`<button type="button" class="-m-1 rounded p-1 text-white/80 hover:text-white" onClick=${onHide}
                aria-label="Masquer « Bien démarrer »" data-testid="onboarding-hide"><${X} size=${18} aria-hidden="true" /></button>`}
        </div>
        <ol class="mt-4 space-y-4">
            <${Step} n=${1} done=${received} testid="step-n8n"
                title=${received ? 'n8n est connecté : vos messages arrivent' : 'Connecter n8n à votre tableau de bord'}>
                ${!received && html`<p>Dans n8n, le workflow du setter envoie chaque message avec votre identifiant de coach. Donnez-le à
                    la personne qui configure votre n8n :</p>
                    <${CoachId} id=${doc.coach.id} />
                    <p><a class=${LINK} href=${N8N_GUIDE} target="_blank" rel="noopener" data-testid="n8n-guide">Guide de connexion n8n
                        <${ExternalLink} size=${12} class="inline" aria-label="(nouvel onglet)" /></a>${' · '}<a class=${LINK} href=${N8N_WORKFLOW}
                        download="setter-workflow.json" data-testid="n8n-workflow">Télécharger le workflow n8n</a></p>`}
            <//>
            <${Step} n=${2} done=${costGiven} testid="step-cost"
                title=${costGiven ? 'Le coût de votre setter est indiqué' : 'Indiquer le coût mensuel de votre setter'}>
                ${!costGiven && html`<p>Sans lui, le ROI et le coût d’acquisition sont estimés avec une valeur par défaut.</p>
                    ${readOnly ? html`<p>Le coach l’indique dans ses réglages.</p>`
                        : html`<a class=${`${BUTTON} text-sm`} href="/settings" data-testid="onboarding-settings">Ouvrir les réglages</a>`}`}
            <//>
            <${Step} n=${3} done=${received} testid="step-lead"
                title=${received ? 'Premier lead reçu' : 'Recevoir votre premier lead'}>
                ${!received && html`<p>Il s’affiche ici quelques secondes après son arrivée, avec ses messages.</p>`}
            <//>
        </ol>
    </section>`;
};
