// @ts-check
// "À relancer aujourd'hui": the leads to follow up, the high-priority ones first (their number in the badge, the
// document's pipeline.follow_up_counts.high) and the others behind "Voir tout", each with one tap to its Instagram
// conversation and profile (new tab), paginated. get_dashboard carries the most urgent 100; the pages after those
// come from get_leads_to_followup(), fetched when the coach goes there.
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ChevronLeft, ChevronRight, ExternalLink, MessageCircle, PhoneForwarded } from 'lucide-preact';
import { fetchFollowUps } from '../../api.js';
import { describe } from '../../errors.js';
import { formatAgo, formatNumber } from '../../format.js';
import { PRIORITIES, statusLabel } from '../../labels.js';
import { Badge, Card, GHOST_BUTTON, Hint } from '../../ui.js';
import { useDashboard } from './context.js';
import { leadHref } from '../../format.js';
import { OutcomeIssue } from '../../outcome-issue.js';

/** @typedef {import('../../dashboard-types').FollowUpLead} FollowUpLead */

/** Rows per page: 10 on a wide screen, 5 on a phone (the first screen stays short). */
export const pageSize = () => (typeof matchMedia === 'function' && matchMedia('(min-width: 640px)').matches ? 10 : 5);

/** Instagram's links for a handle: the DM conversation (ig.me) and the profile. @param {string} username */
export const conversationUrl = (username) => `https://ig.me/m/${encodeURIComponent(username)}`;
/** @param {string} username */
export const profileUrl = (username) => `https://www.instagram.com/${encodeURIComponent(username)}/`;

const LINK_BUTTON =
    'inline-flex items-center gap-1.5 rounded-lg border border-white/30 px-2.5 py-1.5 text-xs font-medium text-white hover:bg-white/10';

/** @param {{ lead: FollowUpLead }} props */
const FollowUpRow = ({ lead: l }) => {
    const { doc, coachId, readOnly } = useDashboard();
    const [done, setDone] = useState('');
    const [priority, color] = PRIORITIES[l.priority] ?? [l.priority, 'gray'];
    const who = l.instagram_username ? `@${l.instagram_username}` : l.first_name ?? 'Lead sans pseudo';
    return html`<li class="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:gap-4" data-row=${l.lead_id}>
        <div class="min-w-0 flex-1">
            <div class="flex flex-wrap items-baseline gap-x-2">
                <a class="break-all font-semibold underline decoration-white/40 underline-offset-2" data-field="who" href=${leadHref(l.lead_id, coachId)}>${who}</a>
                ${l.instagram_username && l.first_name && html`<span class="text-sm text-white/80">${l.first_name}</span>`}
            </div>
            <div class="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-white/80">
                <span>${statusLabel(l.status)}</span>
                <span class="tabular-nums" data-field="days">${formatNumber(l.days_without_contact)} j sans contact</span>
                <${Badge} color=${color} testid="priority">${priority}<//>
                ${done && html`<span role="status" class="text-emerald-200" data-testid="outcome-done">${done}</span>`}
            </div>
        </div>
        ${!readOnly && html`<${OutcomeIssue} leadId=${l.lead_id} who=${who} currency=${doc.coach.currency}
            onDone=${(/** @type {unknown} */ _o, /** @type {string} */ m) => setDone(m)} />`}
        ${l.instagram_username &&
        html`<div class="flex shrink-0 gap-2">
            <a class=${LINK_BUTTON} href=${conversationUrl(l.instagram_username)} target="_blank" rel="noopener noreferrer"
                data-link="conversation" aria-label=${`Ouvrir la conversation Instagram avec ${who} (nouvel onglet)`}>
                <${MessageCircle} size=${14} aria-hidden="true" />Conversation</a>
            <a class=${LINK_BUTTON} href=${profileUrl(l.instagram_username)} target="_blank" rel="noopener noreferrer"
                data-link="profile" aria-label=${`Voir le profil Instagram de ${who} (nouvel onglet)`}>
                <${ExternalLink} size=${14} aria-hidden="true" />Profil</a>
        </div>`}
    </li>`;
};

/** @typedef {'high' | 'all'} Show */

/**
 * The follow-up list: the high-priority leads first (their number in the badge), the others behind "Voir tout".
 * @param {{ wide?: boolean }} props
 */
export const FollowUpCard = ({ wide = false }) => {
    const { doc, defs, coachId } = useDashboard();
    const p = doc.pipeline;
    const counts = p.follow_up_counts ?? { high: p.leads_to_follow_up, medium: 0, low: 0 };
    const [show, setShow] = useState(/** @type {Show} */ ('high'));
    const [page, setPage] = useState(0);
    const [all, setAll] = useState(/** @type {FollowUpLead[] | null} */ (null));
    const [loading, setLoading] = useState(false);
    const [problem, setProblem] = useState('');
    const [PAGE_SIZE] = useState(pageSize);
    // a new document (a change, another period) brings a new list: the full list, if it was fetched, is fetched
    // again (the pages shown stay until it answers)
    const first = useRef(true);
    useEffect(() => {
        if (first.current) return void (first.current = false);
        if (!all) return;
        let gone = false;
        fetchFollowUps(coachId, doc.period).then(
            (l) => !gone && setAll(l),
            (e) => { if (!gone) { setAll(null); setPage(0); setProblem(describe(e).message); } });
        return () => { gone = true; };
    }, [doc]);

    const total = show === 'high' ? counts.high : p.leads_to_follow_up;
    const others = p.leads_to_follow_up - counts.high;
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const fetched = all ?? p.follow_up;
    // the list is sorted by priority: the high ones are its first counts.high rows
    const list = show === 'high' ? fetched.filter((l) => l.priority === 'high') : fetched;
    const current = Math.min(page, pages - 1);
    const rows = list.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE);

    const go = async (/** @type {number} */ next) => {
        setProblem('');
        if ((next + 1) * PAGE_SIZE > list.length && list.length < total && !all) {
            setLoading(true);
            try {
                setAll(await fetchFollowUps(coachId, doc.period));
            } catch (e) {
                setLoading(false);
                return setProblem(describe(e).message);
            }
            setLoading(false);
        }
        setPage(next);
        document.getElementById('follow-up-title')?.scrollIntoView({ block: 'nearest' });
    };
    const toggle = () => {
        setShow(show === 'high' ? 'all' : 'high');
        setPage(0);
        setProblem('');
    };

    return html`<${Card} class=${wide ? 'lg:col-span-5' : 'lg:col-span-3'} testid="follow-up">
        <div class="mb-1 flex flex-wrap items-center gap-2">
            <span class="rounded-lg bg-amber-500/20 p-1.5 text-amber-200"><${PhoneForwarded} size=${18} aria-hidden="true" /></span>
            <h2 id="follow-up-title" class="text-lg font-semibold">À relancer aujourd’hui</h2>
            <${Badge} color="red" testid="follow-up-count" title="Leads en priorité haute">${formatNumber(counts.high)}<span class="sr-only"> en priorité haute</span><//>
            <${Hint} def=${defs['pipeline.follow_up']} />
        </div>
        <p class="text-sm text-white/80" data-testid="follow-up-summary">
            ${show === 'high'
                ? `${formatNumber(counts.high)} en priorité haute${others > 0 ? `, ${formatNumber(others)} autre${others > 1 ? 's' : ''} à relancer` : ''}.`
                : `Les ${formatNumber(p.leads_to_follow_up)} leads à relancer, les plus urgents d’abord.`}
            ${' '}Un lien ouvre la conversation Instagram dans un nouvel onglet.
            ${p.follow_up_as_of && ` Liste calculée ${formatAgo(p.follow_up_as_of)}.`}
        </p>
        ${total === 0
            ? html`<p class="mt-4 text-sm text-white/80" data-testid="follow-up-empty">${p.leads_to_follow_up === 0
                ? 'Personne à relancer aujourd’hui.' : 'Aucun lead en priorité haute aujourd’hui.'}</p>`
            : html`<ul id="follow-up-list" class="mt-2 divide-y divide-white/10" data-list="pipeline.follow_up" data-show=${show} aria-busy=${loading}>
                  ${rows.map((l) => html`<${FollowUpRow} key=${l.lead_id} lead=${l} />`)}
              </ul>`}
        ${problem && html`<p role="alert" class="mt-2 text-sm text-red-200">${problem}</p>`}
        <div class="mt-3 flex flex-wrap items-center justify-between gap-2">
            ${pages > 1 &&
            html`<nav class="flex flex-1 items-center justify-between gap-2" aria-label="Pages de la liste à relancer" data-testid="follow-up-pager">
                <button type="button" class=${GHOST_BUTTON} disabled=${current === 0 || loading} onClick=${() => go(current - 1)}
                    data-testid="follow-up-previous"><${ChevronLeft} size=${16} aria-hidden="true" /><span class="sr-only sm:not-sr-only">Précédents</span></button>
                <span class="text-center text-sm text-white/80" aria-live="polite" data-testid="follow-up-page">
                    ${loading ? 'Chargement…' : `Page ${formatNumber(current + 1)} / ${formatNumber(pages)}`}</span>
                <button type="button" class=${GHOST_BUTTON} disabled=${current >= pages - 1 || loading} onClick=${() => go(current + 1)}
                    data-testid="follow-up-next"><span class="sr-only sm:not-sr-only">Suivants</span><${ChevronRight} size=${16} aria-hidden="true" /></button>
            </nav>`}
            ${others > 0 &&
            html`<button type="button" class=${GHOST_BUTTON} onClick=${toggle} aria-expanded=${show === 'all'} aria-controls="follow-up-list"
                data-testid="follow-up-toggle">${show === 'high' ? `Voir tout (${formatNumber(p.leads_to_follow_up)})` : 'Priorité haute seulement'}</button>`}
        </div>
    <//>`;
};
