// @ts-check
// /admin (admins only): the list of coaches (list_coaches(): name, email, leads, state — active, invited, no data
// since …, legacy without an account — and last activity), each dashboard
// opened read-only from it, and the creation of a coach through the create-coach edge function, called with the
// admin's own session (never a service role key in the browser), which returns the magic link to hand over.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { Copy, LayoutDashboard, LogOut, Search, UserPlus, Users } from 'lucide-preact';
import { FunctionsHttpError } from '@supabase/functions-js';
import { fetchCoaches } from '../api.js';
import { fetchNoDataAlerts } from '../notifications-api.js';
import { describe } from '../errors.js';
import { createCoachMessage } from '../form-errors.js';
import { formatAgo, formatNumber } from '../format.js';
import { formatDateIn, formatDateTimeIn, zoneNote } from '../coach-time.js';
import { DEFAULT_PERIOD, dashboardHref } from '../period.js';
import { supabase } from '../supabase.js';
import { BUTTON, Badge, CARD, GHOST_BUTTON, INPUT, Page, Skeleton, Toast } from '../ui.js';
import { onDemand } from '../on-demand.js';

// the comparison of the coaches is loaded on demand: it stays out of the first load
const CoachComparison = onDemand(() => import('./admin-compare.js').then((m) => m.CoachComparison), () => html`<${Skeleton} class="h-64" />`);

/** @typedef {import('../api.js').CoachRow} CoachRow */

const SPECIALTIES = ['fitness', 'musculation', 'yoga', 'pilates', 'nutrition', 'running', 'crossfit', 'perte de poids'];

/** The function's error as one French sentence. @param {unknown} error */
async function functionError(error) {
    if (error instanceof FunctionsHttpError) {
        /** @type {Response} */
        const res = error.context;
        const body = await res.json().catch(() => null);
        return createCoachMessage(res.status, body);
    }
    return describe(error).message;
}

/** The state list_coaches() gives a coach, in French: its badge, and what it means for the admin. */
const STATES = /** @type {Record<string, [string, import('../ui.js').Color]>} */ ({
    active: ['Actif', 'green'],
    invited: ['Invité', 'blue'],
    no_data: ['Sans données', 'yellow'],
    legacy: ['Sans compte', 'gray'],
});

/**
 * Times of a coach are shown in the coach's own time zone, named, as the "Aucune donnée reçue" alert writes them
 * (the admin may live elsewhere): "dernière activité il y a 3 h", and its date and time in the coach's zone.
 * @param {{ coach: CoachRow }} props
 */
const AccountState = ({ coach: c }) => {
    const [label, color] = STATES[c.account_state] ?? [c.account_state, 'gray'];
    const activity = c.last_activity_at ? `dernière activité ${formatAgo(c.last_activity_at)}` : 'aucune activité';
    const detail = {
        active: activity,
        invited: `jamais connecté · ${activity}`,
        no_data: c.last_activity_at ? `aucune donnée depuis le ${formatDateIn(c.last_activity_at, c.timezone)} ${zoneNote(c.timezone)}` : 'aucune donnée reçue',
        legacy: 'ancien coach : invitez-le avec son email (Créer un coach)',
    }[c.account_state] ?? activity;
    return html`<span class="inline-flex flex-wrap items-center gap-x-2 gap-y-1" data-field="state" data-state=${c.account_state}>
        <${Badge} color=${color}>${label}<//>
        <span class="text-xs text-white/80" data-field="last-activity"
            title=${c.last_activity_at ? `Dernière activité le ${formatDateTimeIn(c.last_activity_at, c.timezone)} ${zoneNote(c.timezone)}` : undefined}>${detail}</span>
    </span>`;
};

/**
 * "Aucune donnée reçue depuis le 3 décembre 2026 à 00:20 (fuseau horaire Europe/Paris)": the last message in the
 * coach's time zone, named, as the alert's own message gives it on the coach's dashboard.
 * @param {import('../notifications-api.js').NoDataAlert} alert
 */
const noDataSince = (alert) => `Aucune donnée reçue depuis le ${formatDateTimeIn(alert.last_message_at, alert.timezone)} ${zoneNote(alert.timezone)}`;

/** @param {{ coaches: CoachRow[] | null, silent: Map<string, import('../notifications-api.js').NoDataAlert>, problem: import('../errors.js').Problem | null, reload: () => void }} props */
const CoachList = ({ coaches, silent, problem, reload }) => {
    const [filter, setFilter] = useState('');
    const needle = filter.trim().toLowerCase();
    const rows = (coaches ?? []).filter((c) => !needle || `${c.name} ${c.email} ${c.specialty ?? ''}`.toLowerCase().includes(needle));
    const td = 'flex justify-between gap-3 py-0.5 sm:table-cell sm:py-3 sm:pr-4';
    return html`<section class=${`${CARD} p-4 sm:p-6`} aria-labelledby="coaches-title" data-testid="coach-list">
        <div class="mb-4 flex flex-wrap items-center justify-between gap-3">
            <h2 id="coaches-title" class="flex items-center gap-2 text-lg font-semibold"><${Users} size=${20} aria-hidden="true" />Coachs
                ${coaches && html`<span class="text-sm font-normal text-white/80">(${formatNumber(coaches.length)})</span>`}</h2>
            <label class="relative w-full sm:w-72">
                <span class="sr-only">Rechercher un coach</span>
                <${Search} size=${16} aria-hidden="true" class="absolute left-3 top-1/2 -translate-y-1/2 text-white/80" />
                <input class=${`${INPUT} py-2 pl-9`} type="search" placeholder="Nom, email ou spécialité" value=${filter}
                    onInput=${(/** @type {any} */ e) => setFilter(e.currentTarget.value)} data-testid="coach-filter" />
            </label>
        </div>
        ${problem
            ? html`<div role="alert" class="text-sm text-red-100">${problem.message}${problem.retry
                && html`${' '}<button type="button" class="font-semibold underline" onClick=${reload}>Réessayer</button>`}</div>`
            : !coaches
              ? html`<${Skeleton} class="h-40" />`
              : rows.length === 0
                ? html`<p class="text-sm text-white/80">${coaches.length ? 'Aucun coach ne correspond à la recherche.' : 'Aucun coach pour l’instant.'}</p>`
                : html`<table class="block w-full text-sm sm:table">
                      <thead class="hidden text-left text-white/80 sm:table-header-group">
                          <tr><th scope="col" class="py-2 pr-4 font-medium">Coach</th><th scope="col" class="py-2 pr-4 font-medium">Email</th>
                              <th scope="col" class="py-2 pr-4 text-right font-medium">Leads</th><th scope="col" class="py-2 pr-4 font-medium">État</th>
                              <th scope="col" class="py-2 font-medium"><span class="sr-only">Tableau de bord</span></th></tr>
                      </thead>
                      <tbody class="block divide-y divide-white/10 sm:table-row-group">
                          ${rows.map((c) => html`<tr key=${c.coach_id} class="block py-3 sm:table-row sm:py-0" data-row=${c.coach_id}>
                              <th scope="row" class="block text-left font-semibold sm:table-cell sm:py-3 sm:pr-4">
                                  <span class="break-words" data-field="name">${c.name}</span>
                                  ${c.specialty && html`<span class="block text-xs font-normal text-white/80">${c.specialty}</span>`}
                                  ${silent.has(c.coach_id) && html`<span class="mt-1 block w-fit rounded-md bg-red-950 px-2 py-1 text-xs font-medium text-red-100" data-testid="no-data">
                                      ${noDataSince(/** @type {import('../notifications-api.js').NoDataAlert} */ (silent.get(c.coach_id)))}</span>`}</th>
                              <td class=${td}><span class="text-white/80 sm:hidden">Email</span><span class="break-all" data-field="email">${c.email}</span></td>
                              <td class=${`${td} sm:text-right`}><span class="text-white/80 sm:hidden">Leads</span><span class="tabular-nums" data-field="leads">${formatNumber(c.lead_count)}</span></td>
                              <td class=${td}><span class="text-white/80 sm:hidden">État</span><${AccountState} coach=${c} /></td>
                              <td class="block pt-2 sm:table-cell sm:py-3 sm:text-right">
                                  <a class=${GHOST_BUTTON} href=${dashboardHref(DEFAULT_PERIOD, c.coach_id)} data-testid="open-dashboard"
                                      aria-label=${`Tableau de bord de ${c.name} (lecture seule)`}>
                                      <${LayoutDashboard} size=${16} aria-hidden="true" />Tableau de bord</a></td>
                          </tr>`)}
                      </tbody>
                  </table>`}
    </section>`;
};

export function AdminPage() {
    const [form, setForm] = useState({ email: '', name: '', specialty: '' });
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState('');
    const [created, setCreated] = useState(/** @type {{ coach_id: string, magic_link: string, email: string } | null} */ (null));
    const [toast, setToast] = useState(/** @type {string | null} */ (null));
    const [coaches, setCoaches] = useState(/** @type {CoachRow[] | null} */ (null));
    // coach id -> its last message, for the coaches whose data stopped arriving (list_no_data_alerts)
    const [silent, setSilent] = useState(/** @type {Map<string, import('../notifications-api.js').NoDataAlert>} */ (new Map()));
    const [listProblem, setListProblem] = useState(/** @type {import('../errors.js').Problem | null} */ (null));

    const loadCoaches = async () => {
        setListProblem(null);
        fetchNoDataAlerts().then((rows) => setSilent(new Map(rows.map((r) => [r.coach_id, r]))), () => {});
        try {
            setCoaches(await fetchCoaches());
        } catch (e) {
            setListProblem(describe(e));
        }
    };
    useEffect(() => {
        loadCoaches();
    }, []);

    const field = (/** @type {'email' | 'name' | 'specialty'} */ k) => (/** @type {any} */ e) =>
        setForm({ ...form, [k]: e.currentTarget.value });

    /** @param {Event} e */
    const submit = async (e) => {
        e.preventDefault();
        const body = { email: form.email.trim(), name: form.name.trim(), specialty: form.specialty.trim() };
        if (!body.email || !body.name || !body.specialty) return setError('Remplissez l’email, le nom et la spécialité.');
        setBusy(true);
        setError('');
        setCreated(null);
        const { data, error: err } = await supabase.functions.invoke('create-coach', { body });
        setBusy(false);
        if (err) return setError(await functionError(err));
        setCreated({ ...data, email: body.email });
        setForm({ email: '', name: '', specialty: '' });
        loadCoaches();
    };

    const copy = async () => {
        if (!created) return;
        try {
            await navigator.clipboard.writeText(created.magic_link);
            setToast('Lien copié.');
        } catch {
            /** @type {HTMLInputElement | null} */ (document.getElementById('magic-link'))?.select();
            setToast('Copiez le lien sélectionné (Ctrl+C).');
        }
    };

    return html`<${Page}>
        <header class="mb-6 flex flex-wrap items-center justify-between gap-3">
            <h1 class="text-2xl font-bold sm:text-3xl">Administration</h1>
            <button type="button" class=${GHOST_BUTTON} onClick=${() => supabase.auth.signOut()} data-testid="sign-out">
                <${LogOut} size=${16} aria-hidden="true" />Se déconnecter
            </button>
        </header>
        <main id="main" tabindex="-1" class="space-y-6">
            <${CoachList} coaches=${coaches} silent=${silent} problem=${listProblem} reload=${loadCoaches} />
            <${CoachComparison} now=${Date.now()} />
            <div class="mx-auto max-w-xl space-y-4">
                <form class=${`${CARD} space-y-4 p-6`} onSubmit=${submit} noValidate data-testid="create-coach-form">
                    <h2 class="flex items-center gap-2 text-lg font-semibold"><${UserPlus} size=${20} aria-hidden="true" />Créer un coach</h2>
                    <label class="block text-sm"><span class="mb-1 block text-white">Email</span>
                        <input class=${INPUT} type="email" name="email" maxLength="320" autocomplete="off" value=${form.email} onInput=${field('email')} /></label>
                    <label class="block text-sm"><span class="mb-1 block text-white">Nom <span class="text-white/80">(200 caractères au plus)</span></span>
                        <input class=${INPUT} name="name" maxLength="200" autocomplete="off" value=${form.name} onInput=${field('name')} /></label>
                    <label class="block text-sm"><span class="mb-1 block text-white">Spécialité</span>
                        <input class=${INPUT} name="specialty" list="specialties" maxLength="100" autocomplete="off" value=${form.specialty} onInput=${field('specialty')} />
                        <datalist id="specialties">${SPECIALTIES.map((s) => html`<option key=${s} value=${s} />`)}</datalist></label>
                    ${error && html`<p role="alert" class="rounded-lg border border-red-400/40 bg-red-500/15 px-3 py-2 text-sm text-red-100" data-testid="admin-error">${error}</p>`}
                    <button class=${`${BUTTON} w-full py-3`} type="submit" disabled=${busy}>${busy ? 'Création…' : 'Créer le coach'}</button>
                </form>
                ${created &&
                html`<div class=${`${CARD} space-y-3 border-emerald-400/40 p-6`} data-testid="created">
                    <p class="font-semibold text-emerald-200">Coach créé : ${created.email}</p>
                    <p class="text-sm text-white/80">Envoyez-lui ce lien de connexion (usage unique) : il arrivera connecté et pourra choisir son mot de passe.</p>
                    <div class="flex gap-2">
                        <label for="magic-link" class="sr-only">Lien de connexion</label>
                        <input id="magic-link" class=${`${INPUT} font-mono text-xs`} readonly value=${created.magic_link}
                            data-testid="magic-link" onFocus=${(/** @type {any} */ e) => e.currentTarget.select()} />
                        <button type="button" class=${BUTTON} onClick=${copy} aria-label="Copier le lien"><${Copy} size=${16} aria-hidden="true" /></button>
                    </div>
                    <p class="text-xs text-white/80">Identifiant : <span class="font-mono" data-testid="coach-id">${created.coach_id}</span></p>
                </div>`}
            </div>
        </main>
        <${Toast} message=${toast} tone="success" onClose=${() => setToast(null)} />
    <//>`;
}
