// @ts-check
// /leads/<id>: one lead (get_lead) — who it is, its outcome with where each value came from and the actions to record
// one, the coach's notes, the status timeline with its sources (and what an outcome set aside), the conversation in
// order in the coach's time zone (DM numbers, what is unanswered, older messages a page at a time), payments, and the
// webhook events no lead matched ("à rattacher"). The URL can be shared; an admin reads any coach's lead read-only
// (?coach=<id>). Formats only.
import { html } from 'htm/preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { ArrowLeft, ExternalLink, History, Link2, MessageCircle, MessagesSquare, NotebookPen, UserRound, Wallet } from 'lucide-preact';
import { describe } from '../errors.js';
import { DASH, formatMoney, formatNumber } from '../format.js';
import { STATUS_LABELS, lostReasonLabel, sourceLabel, statusLabel } from '../labels.js';
import { addNote, attachEvent, editNote, fetchLead, fetchOlderMessages, fetchUnmatched } from '../lead-api.js';
import { entryText, formatClock, formatLongDay, formatMinor, formatStamp, localDay, setAsideWhy, sourceName } from '../lead-format.js';
import { OutcomeActions } from '../outcome-actions.js';
import { LeadSearch } from '../search.js';
import { isAdmin } from '../supabase.js';
import { BUTTON, Badge, Card, GHOST_BUTTON, INPUT, Page, Skeleton, Toast } from '../ui.js';
import { conversationUrl, profileUrl } from './dashboard/follow-up.js';

/** @typedef {import('../lead-types').LeadDocument} LeadDocument */
/** @typedef {import('../lead-types').LeadMessage} LeadMessage */
/** @typedef {import('../lead-types').LeadNote} LeadNote */
/** @typedef {import('../lead-types').UnmatchedEvent} UnmatchedEvent */

const GENDERS = /** @type {Record<string, string>} */ ({ male: 'Homme', female: 'Femme', other: 'Autre' });
const LINK_BUTTON = 'inline-flex items-center gap-1.5 rounded-lg border border-white/30 px-2.5 py-1.5 text-xs font-medium text-white hover:bg-white/10';
const SOURCE_COLORS = /** @type {Record<string, import('../ui.js').Color>} */ ({ n8n: 'blue', coach: 'purple', calendly: 'yellow', stripe: 'green' });

/** The name a coach reads for a lead. @param {LeadDocument['lead']} l */
export const leadName = (l) => [l.first_name, l.last_name].filter(Boolean).join(' ') || (l.instagram_username ? `@${l.instagram_username}` : 'Lead sans nom');

/** @param {{ label: string, children?: any }} props */
const Field = ({ label, children }) =>
    html`<div class="flex flex-wrap justify-between gap-x-4 gap-y-0.5 py-1.5 text-sm"><dt class="text-white/80">${label}</dt><dd class="text-right font-medium">${children}</dd></div>`;

/** @param {{ source: string | null }} props */
const From = ({ source }) => source && html`<span class="ml-1 text-xs font-normal text-white/80">(${sourceName(source)})</span>`;

/** @param {{ doc: LeadDocument, readOnly: boolean, onOutcome: (message: string) => void, onError: (m: string) => void }} props */
function OutcomeCard({ doc, readOnly, onOutcome, onError }) {
    const l = doc.lead;
    const tz = doc.coach.timezone;
    const cur = doc.coach.currency;
    return html`<${Card} testid="lead-outcome">
        <h2 class="mb-2 flex items-center gap-2 text-lg font-semibold"><${Wallet} size=${18} aria-hidden="true" />Issue</h2>
        <dl class="divide-y divide-white/10" data-testid="outcome-fields">
            <${Field} label="Statut"><span data-field="status">${statusLabel(l.status)}</span><//>
            <${Field} label="Call">${l.call_at ? formatStamp(l.call_at, tz) : DASH}<//>
            <${Field} label="Présence au call"><span data-field="call_showed">${l.call_showed == null ? 'inconnue' : l.call_showed ? 'présent' : 'absent'}</span><${From} source=${l.call_showed_source} /><//>
            <${Field} label="Valeur du deal"><span data-field="deal_value">${formatMoney(l.deal_value, cur)}</span><${From} source=${l.deal_value_source} />
                ${l.payment_plan && html`<span class="ml-1 text-xs font-normal text-white/80">· ${l.payment_plan === 'instalments'
                    ? `en ${l.instalment_count ? `${l.instalment_count} fois` : 'plusieurs fois'}` : 'payé en une fois'}</span>`}<//>
            ${l.lost_reason && html`<${Field} label="Raison de la perte">${lostReasonLabel(l.lost_reason)}<${From} source=${l.lost_reason_source} /><//>`}
            <${Field} label="Dernière relance par vous">${l.followed_up_at ? formatStamp(l.followed_up_at, tz) : DASH}<//>
        </dl>
        ${!readOnly && html`<div class="mt-3"><${OutcomeActions} leadId=${l.id} who=${leadName(l)} currency=${cur}
            onDone=${(/** @type {unknown} */ _o, /** @type {string} */ m) => onOutcome(m)} onError=${onError} /></div>`}
        ${doc.payments.length > 0 && html`<div class="mt-3 border-t border-white/10 pt-2" data-testid="payments">
            <h3 class="text-sm font-semibold">Paiements Stripe</h3>
            <ul class="mt-1 space-y-1 text-sm">${doc.payments.map((p) => html`<li key=${p.payment_ref} class="flex flex-wrap justify-between gap-x-3">
                <span>${formatStamp(p.paid_at, tz)}</span>
                <span class="font-medium">${formatMinor(p.amount_minor, p.currency)}${p.refunded_minor > 0
                    ? html` <span class="text-amber-200">(remboursé ${formatMinor(p.refunded_minor, p.currency)})</span>` : ''}</span>
            </li>`)}</ul>
        </div>`}
    <//>`;
}

/** @param {{ doc: LeadDocument, readOnly: boolean, onChange: () => void, onError: (m: string) => void }} props */
function NotesCard({ doc, readOnly, onChange, onError }) {
    const [draft, setDraft] = useState('');
    const [busy, setBusy] = useState(false);
    const [editing, setEditing] = useState(/** @type {{ id: string, body: string } | null} */ (null));
    const tz = doc.coach.timezone;
    const save = async (/** @type {() => Promise<unknown>} */ run) => {
        setBusy(true);
        try {
            await run();
            setDraft('');
            setEditing(null);
            onChange();
        } catch (e) {
            onError(describe(e).message);
        }
        setBusy(false);
    };
    return html`<${Card} testid="lead-notes">
        <h2 class="mb-2 flex items-center gap-2 text-lg font-semibold"><${NotebookPen} size=${18} aria-hidden="true" />Notes</h2>
        ${doc.notes.length === 0 && html`<p class="text-sm text-white/80">Aucune note pour l’instant.</p>`}
        <ul class="space-y-2">${doc.notes.map((n) => html`<li key=${n.id} class="rounded-lg bg-white/5 p-2 text-sm" data-note=${n.id}>
            ${editing?.id === n.id
                ? html`<form onSubmit=${(/** @type {Event} */ e) => { e.preventDefault(); save(() => editNote(n.id, editing.body)); }}>
                      <label for=${`edit-${n.id}`} class="sr-only">Modifier la note</label>
                      <textarea id=${`edit-${n.id}`} class=${INPUT} rows="3" value=${editing.body}
                          onInput=${(/** @type {InputEvent} */ e) => setEditing({ id: n.id, body: /** @type {HTMLTextAreaElement} */ (e.currentTarget).value })}></textarea>
                      <div class="mt-2 flex justify-end gap-2">
                          <button type="button" class=${GHOST_BUTTON} onClick=${() => setEditing(null)}>Annuler</button>
                          <button type="submit" class=${BUTTON} disabled=${busy}>Enregistrer</button>
                      </div>
                  </form>`
                : html`<p class="whitespace-pre-wrap break-words">${n.body}</p>
                      <p class="mt-1 flex flex-wrap items-center gap-2 text-xs text-white/80">
                          ${formatStamp(n.created_at, tz)}${n.updated_at !== n.created_at ? ` · modifiée le ${formatStamp(n.updated_at, tz)}` : ''}
                          ${n.editable && !readOnly && html`<button type="button" class="underline" onClick=${() => setEditing({ id: n.id, body: n.body })}>Modifier</button>`}
                      </p>`}
        </li>`)}</ul>
        ${!readOnly && html`<form class="mt-3" onSubmit=${(/** @type {Event} */ e) => { e.preventDefault(); if (draft.trim()) save(() => addNote(doc.lead.id, draft)); }}>
            <label for="new-note" class="mb-1 block text-sm font-medium">Ajouter une note</label>
            <textarea id="new-note" class=${INPUT} rows="2" maxLength="5000" value=${draft} data-testid="note-input"
                onInput=${(/** @type {InputEvent} */ e) => setDraft(/** @type {HTMLTextAreaElement} */ (e.currentTarget).value)}></textarea>
            <div class="mt-2 flex justify-end"><button type="submit" class=${BUTTON} disabled=${busy || !draft.trim()} data-testid="note-save">Ajouter</button></div>
        </form>`}
    <//>`;
}

/** @param {{ doc: LeadDocument }} props */
function TimelineCard({ doc }) {
    const tz = doc.coach.timezone;
    const cur = doc.coach.currency;
    const entries = [
        ...doc.status_events.map((e) => ({ at: e.changed_at, key: `e${e.id}`, text: entryText(e, cur), source: e.source, aside: '' })),
        ...doc.set_aside.map((e) => ({ at: e.changed_at, key: `a${e.id}`, text: entryText(e, cur), source: e.source, aside: setAsideWhy(e) })),
    ].sort((a, b) => a.at.localeCompare(b.at));
    return html`<${Card} testid="lead-timeline">
        <h2 class="mb-2 flex items-center gap-2 text-lg font-semibold"><${History} size=${18} aria-hidden="true" />Historique</h2>
        <ol class="space-y-2" data-list="timeline">${entries.map((e) => html`<li key=${e.key} class=${`text-sm ${e.aside ? 'text-white/70' : ''}`} data-entry=${e.key}>
            <div class="flex flex-wrap items-center gap-2">
                <span class=${e.aside ? 'line-through' : 'font-medium'}>${e.text}</span>
                <${Badge} color=${SOURCE_COLORS[e.source] ?? 'gray'} testid="entry-source">${sourceName(e.source)}<//>
            </div>
            <div class="text-xs text-white/80">${formatStamp(e.at, tz)}${e.aside && ` · ${e.aside}`}</div>
        </li>`)}</ol>
    <//>`;
}

/** @param {{ doc: LeadDocument }} props */
function ConversationCard({ doc }) {
    const [older, setOlder] = useState(/** @type {LeadMessage[]} */ ([]));
    const [more, setMore] = useState(doc.messages.has_more);
    const [busy, setBusy] = useState(false);
    const [problem, setProblem] = useState('');
    const box = useRef(/** @type {HTMLDivElement | null} */ (null));
    // the latest message in view, as in a messaging app; after older ones are added, the same message stays in view
    const fromBottom = useRef(0);
    useEffect(() => { setOlder([]); setMore(doc.messages.has_more); fromBottom.current = 0; }, [doc.lead.id]);
    useLayoutEffect(() => {
        const el = box.current;
        if (el) el.scrollTop = el.scrollHeight - el.clientHeight - fromBottom.current;
    }, [doc, older]);
    const tz = doc.coach.timezone;
    const all = [...older, ...doc.messages.items];
    const loadOlder = async () => {
        setBusy(true);
        setProblem('');
        try {
            const page = await fetchOlderMessages(doc.lead.id, all[0].id);
            const el = box.current;
            fromBottom.current = el ? el.scrollHeight - el.clientHeight - el.scrollTop : 0;
            setOlder([...page.items, ...older]);
            setMore(page.has_more);
        } catch (e) {
            setProblem(describe(e).message);
        }
        setBusy(false);
    };
    return html`<${Card} testid="lead-conversation">
        <h2 class="mb-1 flex items-center gap-2 text-lg font-semibold"><${MessagesSquare} size=${18} aria-hidden="true" />Conversation</h2>
        <p class="mb-2 text-xs text-white/80">Heures de ${tz}. ${formatNumber(doc.lead.total_messages_sent + doc.lead.total_messages_received)} messages au total.</p>
        ${problem && html`<p role="alert" class="mb-2 text-sm text-red-200">${problem}</p>`}
        ${all.length === 0 && html`<p class="text-sm text-white/80">Aucun message.</p>`}
        <div ref=${box} class="max-h-[36rem] overflow-y-auto rounded-lg pr-1 focus:outline-none focus:ring-2 focus:ring-sky-300"
            tabindex="0" role="region" aria-label="Messages de la conversation" data-testid="messages-scroll">
        ${more && html`<button type="button" class=${`${GHOST_BUTTON} mb-2`} onClick=${loadOlder} disabled=${busy} data-testid="older-messages">
            ${busy ? 'Chargement…' : 'Messages précédents'}</button>`}
        <ol class="space-y-1.5" data-list="messages">${all.map((m, i) => {
            const day = localDay(m.created_at, tz);
            const first = i === 0 || localDay(all[i - 1].created_at, tz) !== day;
            const out = m.direction === 'out';
            return html`<li key=${m.id} data-message=${m.id} data-direction=${m.direction}>
                ${first && html`<p class="my-2 text-center text-xs font-medium text-white/80">${formatLongDay(m.created_at, tz)}</p>`}
                <div class=${`flex ${out ? 'justify-end' : 'justify-start'}`}>
                    <div class=${`max-w-[85%] rounded-2xl px-3 py-2 text-sm ${out ? 'bg-indigo-700 text-white' : 'bg-white/15 text-white'}`}>
                        <p class="whitespace-pre-wrap break-words">${m.text ?? html`<span class="italic text-white/80">(sans texte)</span>`}</p>
                        <p class="mt-1 flex flex-wrap items-center gap-x-2 text-xs text-white/80">
                            <span>${out ? 'Setter' : 'Lead'} · ${formatClock(m.created_at, tz)}</span>
                            ${m.message_number != null && html`<span data-field="dm">DM ${m.message_number}</span>`}
                            ${m.unanswered && html`<span class="font-semibold text-amber-200" data-field="unanswered">${out ? 'sans réponse du lead' : 'sans réponse'}</span>`}
                        </p>
                    </div>
                </div>
            </li>`;
        })}</ol>
        </div>
    <//>`;
}

/** @param {{ doc: LeadDocument }} props */
function ProfileCard({ doc }) {
    const l = doc.lead;
    const tz = doc.coach.timezone;
    return html`<${Card} testid="lead-profile">
        <h2 class="mb-2 flex items-center gap-2 text-lg font-semibold"><${UserRound} size=${18} aria-hidden="true" />Profil</h2>
        <dl class="divide-y divide-white/10">
            <${Field} label="Prénom">${l.first_name ?? DASH}<//>
            <${Field} label="Nom">${l.last_name ?? DASH}<//>
            <${Field} label="Instagram">${l.instagram_username ? `@${l.instagram_username}` : DASH}<//>
            <${Field} label="Email"><span class="break-all">${l.email ?? DASH}</span><//>
            <${Field} label="Âge">${l.age ?? DASH}<//>
            <${Field} label="Genre">${l.gender ? GENDERS[l.gender] : DASH}<//>
            <${Field} label="Profession">${l.job_title ?? DASH}<//>
            <${Field} label="Source">${sourceLabel(l.source)}<//>
            <${Field} label="Premier contact">${formatStamp(l.created_at, tz)}<//>
            <${Field} label="Dernier message">${l.last_contact_at ? formatStamp(l.last_contact_at, tz) : DASH}<//>
            <${Field} label="Messages envoyés / reçus">${formatNumber(l.total_messages_sent)} / ${formatNumber(l.total_messages_received)}<//>
        </dl>
    <//>`;
}

/** @param {{ doc: LeadDocument, coachId?: string, readOnly: boolean, onAttached: (m: string) => void, onError: (m: string) => void }} props */
function UnmatchedCard({ doc, coachId, readOnly, onAttached, onError }) {
    const [rows, setRows] = useState(/** @type {UnmatchedEvent[]} */ ([]));
    const [busy, setBusy] = useState(0);
    useEffect(() => { fetchUnmatched(coachId).then(setRows, () => setRows([])); }, [doc]);
    if (rows.length === 0) return null;
    const tz = doc.coach.timezone;
    const attach = async (/** @type {UnmatchedEvent} */ r) => {
        setBusy(r.event_id);
        try {
            await attachEvent(r.event_id, doc.lead.id);
            onAttached(`${r.provider === 'stripe' ? 'Paiement' : 'Rendez-vous'} rattaché à ${leadName(doc.lead)}.`);
        } catch (e) {
            onError(describe(e).message);
        }
        setBusy(0);
    };
    return html`<${Card} testid="unmatched">
        <h2 class="mb-1 flex items-center gap-2 text-lg font-semibold"><${Link2} size=${18} aria-hidden="true" />À rattacher</h2>
        <p class="mb-2 text-sm text-white/80">Ces paiements Stripe et rendez-vous Calendly n’ont trouvé aucun lead. S’il s’agit de ${leadName(doc.lead)}, rattachez-les ici.</p>
        <ul class="divide-y divide-white/10">${rows.map((r) => html`<li key=${r.event_id} class="flex flex-wrap items-center justify-between gap-2 py-2 text-sm" data-unmatched=${r.event_id}>
            <span>${r.provider === 'stripe' ? 'Stripe' : 'Calendly'} · ${formatStamp(r.occurred_at, tz)}${r.email ? ` · ${r.email}` : ''}${r.name ? ` · ${r.name}` : ''}
                ${r.amount_minor != null && r.currency ? ` · ${formatMinor(r.amount_minor, r.currency)}` : ''}${r.start_time ? ` · call le ${formatStamp(r.start_time, tz)}` : ''}</span>
            ${!readOnly && html`<button type="button" class=${GHOST_BUTTON} disabled=${busy === r.event_id} onClick=${() => attach(r)}>Rattacher à ce lead</button>`}
        </li>`)}</ul>
    <//>`;
}

/** @param {{ session: import('@supabase/auth-js').Session }} props */
export function LeadPage({ session }) {
    const { params } = useRoute();
    const { query } = useLocation();
    const coachId = isAdmin(session) && query.coach ? query.coach : undefined;
    const readOnly = isAdmin(session);
    const [doc, setDoc] = useState(/** @type {LeadDocument | null} */ (null));
    const [problem, setProblem] = useState('');
    const [toast, setToast] = useState(/** @type {{ message: string, tone: 'error' | 'success' } | null} */ (null));
    const load = async () => {
        try {
            setDoc(await fetchLead(params.id));
            setProblem('');
        } catch (e) {
            setProblem(describe(e).message);
        }
    };
    useEffect(() => { setDoc(null); load(); }, [params.id]);
    const done = (/** @type {string} */ message) => { setToast({ message, tone: 'success' }); load(); };
    const fail = (/** @type {string} */ message) => setToast({ message, tone: 'error' });
    const back = coachId ? `/dashboard?coach=${encodeURIComponent(coachId)}` : '/dashboard';
    const l = doc?.lead;
    return html`<${Page}>
        <header class="mb-4 flex flex-wrap items-center justify-between gap-3">
            <a href=${back} class=${GHOST_BUTTON} data-testid="back"><${ArrowLeft} size=${16} aria-hidden="true" />Tableau de bord</a>
            <${LeadSearch} coachId=${coachId} />
        </header>
        <main id="main" tabindex="-1" class="space-y-4" data-testid="lead-page">
            ${problem && !doc && html`<div role="alert" class="rounded-xl border border-red-400/40 bg-red-950 p-4 text-red-100" data-testid="lead-error">${problem}
                <button type="button" class="ml-2 font-semibold underline" onClick=${load}>Réessayer</button></div>`}
            ${!doc && !problem && html`<${Skeleton} class="h-64" />`}
            ${doc && l && html`
                <div class="flex flex-wrap items-center gap-3">
                    <h1 class="break-words text-2xl font-bold sm:text-3xl" data-testid="lead-name">${leadName(l)}</h1>
                    <${Badge} color=${l.status === 'won' ? 'green' : l.status === 'lost' ? 'red' : 'blue'} testid="lead-status">${STATUS_LABELS[l.status] ?? l.status}<//>
                    ${readOnly && html`<span class="text-sm font-medium text-amber-200" data-testid="read-only">Vue administrateur · lecture seule</span>`}
                </div>
                ${l.instagram_username && html`<div class="flex flex-wrap gap-2">
                    <a class=${LINK_BUTTON} href=${conversationUrl(l.instagram_username)} target="_blank" rel="noopener noreferrer" data-link="conversation">
                        <${MessageCircle} size=${14} aria-hidden="true" />Ouvrir le DM Instagram<span class="sr-only"> (nouvel onglet)</span></a>
                    <a class=${LINK_BUTTON} href=${profileUrl(l.instagram_username)} target="_blank" rel="noopener noreferrer" data-link="profile">
                        <${ExternalLink} size=${14} aria-hidden="true" />Profil @${l.instagram_username}<span class="sr-only"> (nouvel onglet)</span></a>
                </div>`}
                <div class="grid grid-cols-1 gap-4 lg:grid-cols-3">
                    <div class="space-y-4 lg:col-span-1">
                        <${OutcomeCard} doc=${doc} readOnly=${readOnly} onOutcome=${done} onError=${fail} />
                        <${UnmatchedCard} doc=${doc} coachId=${coachId} readOnly=${readOnly} onAttached=${done} onError=${fail} />
                        <${NotesCard} doc=${doc} readOnly=${readOnly} onChange=${() => done('Note enregistrée.')} onError=${fail} />
                        <${ProfileCard} doc=${doc} />
                    </div>
                    <div class="space-y-4 lg:col-span-2">
                        <${ConversationCard} doc=${doc} />
                        <${TimelineCard} doc=${doc} />
                    </div>
                </div>`}
            <${Toast} message=${toast?.message ?? null} tone=${toast?.tone} onClose=${() => setToast(null)} />
        </main>
    <//>`;
}
