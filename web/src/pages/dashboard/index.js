// @ts-check
// /dashboard: the period selector, the headline tiles, who to follow up today, the trend, then the six sections of
// the brief (folding). One get_dashboard call per load, kept current by useLive (live.js). An admin opens any
// coach's dashboard read-only with ?coach=<id>. Formats only.
import { html } from 'htm/preact';
import { useCallback, useEffect, useLayoutEffect, useMemo, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { CloudOff, List, LogOut, RefreshCw, Settings, TriangleAlert } from 'lucide-preact';
import { fetchDashboard, fetchVersion } from '../../api.js';
import { formatAgo, formatDayRange, formatTime, warmFormats } from '../../format.js';
import { useLive } from '../../live.js';
import { inNextTask } from '../../next-task.js';
import { DEFAULT_PERIOD, PERIODS, dashboardHref, formatClock, periodFromQuery, periodId, todayIn } from '../../period.js';
import { isAdmin, passwordOffer, supabase } from '../../supabase.js';
import { BUTTON, CARD, ErrorBoundary, GHOST_BUTTON, Later, Page, Skeleton, Toast } from '../../ui.js';
import { AlertBanner } from './alerts.js';
import { DashboardContext } from './context.js';
import { Headline } from './headline.js';
import { Onboarding } from './onboarding.js';
import { LeadSearch } from '../../search.js';
import { PeriodPicker } from './period-picker.js';
import { useTimelineNotes } from './timeline-notes.js';
import { onDemand } from '../../on-demand.js';

// the password offer after a magic link (a new coach's first visit only): its code comes after the first load
const SetPassword = onDemand(() => import('./set-password.js').then((m) => m.SetPassword));
// the leads behind a count (a dialog opened on a click, with its CSV): its code comes after the first load
const DrillDown = onDemand(() => import('./drilldown.js').then((m) => m.DrillDown));
// the parts below the tiles (the follow-up list, the trend, the notes and the sections): one chunk (sections.js),
// fetched when the page mounts; each shows a skeleton meanwhile (Staged renders them once it is there)
const sections = () => import('./sections.js');
/** The sections' code, loaded (a failure is not kept: the next call loads it again). */
const sectionsCode = () => sections().then(() => undefined);
const SECTION_SKELETON = () => html`<${Skeleton} class="h-12" />`;
const FollowUpCard = onDemand(() => sections().then((m) => m.FollowUpCard), () => html`<${Skeleton} class="h-64 lg:col-span-3" />`);
const TrendCard = onDemand(() => sections().then((m) => m.TrendCard));
const NotesCard = onDemand(() => sections().then((m) => m.NotesCard), () => html`<${Skeleton} class="h-40" />`);
const ActivitySection = onDemand(() => sections().then((m) => m.ActivitySection), SECTION_SKELETON);
const ReplyRatesSection = onDemand(() => sections().then((m) => m.ReplyRatesSection), SECTION_SKELETON);
const VariantsSection = onDemand(() => sections().then((m) => m.VariantsSection), SECTION_SKELETON);
const QualificationSection = onDemand(() => sections().then((m) => m.QualificationSection), SECTION_SKELETON);
const DemographicsSection = onDemand(() => sections().then((m) => m.DemographicsSection), SECTION_SKELETON);
const PipelineSection = onDemand(() => sections().then((m) => m.PipelineSection), SECTION_SKELETON);
const PerformanceSection = onDemand(() => sections().then((m) => m.PerformanceSection), SECTION_SKELETON);
const CohortsSection = onDemand(() => sections().then((m) => m.CohortsSection), SECTION_SKELETON);
const ON_DEMAND_SECTIONS = [FollowUpCard, TrendCard, NotesCard, ActivitySection, ReplyRatesSection, VariantsSection, QualificationSection, DemographicsSection,
    PipelineSection, PerformanceSection, CohortsSection];

/** @typedef {import('../../period.js').PeriodOption} PeriodOption */

/**
 * "du 7 nov. au 6 déc. 2026, comparé du 8 oct. au 6 nov. 2026 (jusqu’à 14:10 ce jour-là)": the period and what its
 * changes are measured against; a period that ends today is compared up to the same local time (`previous.until`).
 * @param {import('../../dashboard-types').Period} p
 */
const periodText = (p) => {
    const range = p.key === 'all' ? 'Depuis le début' : formatDayRange(p.start, p.end);
    if (!p.previous) return range;
    const until = p.previous.until ? formatClock(p.previous.until, p.timezone) : null;
    if (p.key === 'today') return `${range}, comparé à hier${until ? ` jusqu’à ${until}` : ''}`;
    return `${range}, comparé ${formatDayRange(p.previous.start, p.previous.end)}${until ? ` (jusqu’à ${until} le dernier jour)` : ''}`;
};

/** What "Actualiser" says in each state: the button is as wide as the longest, so nothing beside it moves. */
const REFRESH_LABELS = { idle: 'Actualiser', loading: 'Mise à jour…', waiting: 'Calcul en cours…' };

/**
 * One of `labels`, in a box as wide as the widest: the others are laid out in the same cell but hidden (visibility,
 * so neither read aloud nor in innerText), and the button keeps its width when its label changes.
 * @param {{ labels: string[], current: string }} props
 */
const StableLabel = ({ labels, current }) => html`<span class="grid text-center">${labels.map((l) =>
    html`<span key=${l} class=${`col-start-1 row-start-1${l === current ? '' : ' invisible'}`} aria-hidden=${l === current ? undefined : 'true'}>${l}</span>`)}</span>`;

/** "il y a 3 min", kept current every 30 s (only this text renders again). @param {{ iso: string | null }} props */
const Ago = ({ iso }) => {
    const [now, setNow] = useState(Date.now());
    useEffect(() => {
        const t = setInterval(() => setNow(Date.now()), 30_000);
        return () => clearInterval(t);
    }, []);
    return html`${formatAgo(iso, now)}`;
};

/** @param {string} key */
const readFlag = (key) => {
    try {
        return localStorage.getItem(key) === '1';
    } catch {
        return false;
    }
};

/** The currency of the last dashboard this browser showed: its money format is made ahead (warmFormats) on the next
 *  load, while the data loads, before the document says which currency it is. */
const CURRENCY_KEY = 'dashboard-currency';
const rememberedCurrency = () => {
    try {
        return localStorage.getItem(CURRENCY_KEY);
    } catch {
        return null;
    }
};

/** A document is ready once the KPI facts it reads exist (last_updated: the upkeep has made a pass). @param {import('../../api.js').DashboardView} view */
const numbersReady = (view) => view.doc.last_updated != null;
/** @param {import('../../api.js').DashboardView} view */
const versionOf = (view) => view.version;
/** @param {import('../../api.js').DashboardView} view */
const updatedAt = (view) => view.doc.last_updated;

/** @param {{ period: PeriodOption, coachId?: string }} props */
const PeriodSelector = ({ period, coachId }) =>
    html`<nav aria-label="Période" data-testid="period-selector">
        <ul class="grid grid-cols-[1.6fr_repeat(4,1fr)] gap-1 rounded-xl border border-white/20 bg-white/10 p-1 text-center text-sm">
            ${PERIODS.map((p) => html`<li key=${p.param}>
                <a href=${dashboardHref(p, coachId)} aria-current=${p === period ? 'page' : undefined} data-period=${p.param}
                    class=${`block rounded-lg px-1 py-2 font-medium ${p === period ? 'bg-white text-slate-900' : 'text-white hover:bg-white/10'}`}>${p.label}</a>
            </li>`)}
        </ul>
    </nav>`;

/**
 * The dashboard's parts in order, one part per task: the task that reads the data renders the header with it, the
 * next one the headline tiles (half of them, the other half a task later: Headline; <main> stays busy until they are
 * all there, and the tests read them once it is not), then the follow-up list,
 * the trend and the sections, each in a task of its own after the previous one (inNextTask: the browser paints and
 * handles input in between). No task renders more than one part, so none is long enough to hold up a tap on a phone
 * 4 times slower than a laptop (Lighthouse's mobile run counts every task over 50 ms at 4 times its time here). Only
 * the first document is staged; later ones (a refresh, another period) update what is there, in the same task. The parts from index
 * `waitFrom` on wait for `ready` (their code: each then renders at once, in order, never several together when the
 * chunk arrives); a failed `ready` lets them through (they show the failure themselves).
 * @param {{ parts: import('preact').ComponentChildren[], ready?: () => Promise<unknown>, waitFrom?: number }} props
 */
const Staged = ({ parts, ready, waitFrom = Infinity }) => {
    const [shown, setShown] = useState(0);
    // a layout effect runs in the task that rendered (an effect would wait for the next frame)
    useLayoutEffect(() => {
        if (shown >= parts.length) return;
        let cancel = () => {};
        let live = true;
        const step = () => { if (live) cancel = inNextTask(() => setShown((n) => n + 1)); };
        const next = () => (ready && shown >= waitFrom ? ready().then(step, step) : step());
        // after the tiles: once the browser painted them (an animation frame, then a task)
        const frame = shown === 1 ? requestAnimationFrame(next) : (next(), 0);
        return () => { live = false; cancelAnimationFrame(frame); cancel(); };
    }, [shown, parts.length]);
    return html`${parts.slice(0, shown)}`;
};

const LoadingSkeleton = () =>
    html`<div class="space-y-6" data-testid="skeleton" aria-label="Chargement du tableau de bord">
        <div class="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">${Array.from({ length: 6 }, (_, j) => html`<${Skeleton} key=${j} />`)}</div>
        <${Skeleton} class="h-64" />
    </div>`;

/** The numbers are being computed (a new database or coach before the upkeep's first pass): asked again within seconds. */
const Preparing = () =>
    html`<div class=${`${CARD} mx-auto w-full max-w-xl p-8 text-center`} role="status" data-testid="preparing">
        <div class="mx-auto mb-4 w-fit rounded-2xl bg-white/10 p-4"><${RefreshCw} size=${32} aria-hidden="true" class="animate-spin" /></div>
        <h2 class="text-xl font-semibold">Préparation des chiffres…</h2>
        <p class="mt-2 text-white/80">Vos chiffres sont en cours de calcul. Ils s’affichent d’eux-mêmes dans quelques secondes.</p>
    </div>`;

/** No data at all: the server cannot be reached, or refused ("Réessayer" only where trying again can help). @param {{ problem: import('../../errors.js').Problem, retryIn: number | null, retry: () => void, admin: boolean }} props */
const Unavailable = ({ problem, retryIn, retry, admin }) =>
    html`<div class=${`${CARD} mx-auto w-full max-w-xl p-8 text-center`} data-testid=${problem.offline ? 'offline' : 'load-error'} role="alert">
        <div class="mx-auto mb-4 w-fit rounded-2xl bg-white/10 p-4">
            ${problem.offline ? html`<${CloudOff} size=${32} aria-hidden="true" />` : html`<${TriangleAlert} size=${32} aria-hidden="true" />`}</div>
        <h2 class="text-xl font-semibold">${problem.offline ? 'Serveur injoignable' : 'Tableau de bord indisponible'}</h2>
        <p class="mt-2 text-white/80">${problem.message}</p>
        ${retryIn != null && html`<p class="mt-1 text-sm text-white/80">Nouvel essai automatique dans ${retryIn} s.</p>`}
        ${problem.retry
            ? html`<button type="button" class=${`${BUTTON} mt-4`} onClick=${retry}>Réessayer</button>`
            : admin && html`<a class=${`${BUTTON} mt-4`} href="/admin" data-testid="back-to-list">Retour à la liste des coachs</a>`}
    </div>`;

/** @param {{ session: import('@supabase/auth-js').Session }} props */
export function DashboardPage({ session }) {
    const { query } = useLocation();
    // one object per period (a custom range is built from the query): what it loads changes only with it
    const period = useMemo(() => periodFromQuery(query), [query.du, query.au, query.periode]);
    const coachId = isAdmin(session) && query.coach ? query.coach : undefined;
    const readOnly = !!coachId && coachId !== session.user.id;
    const load = useCallback(() => fetchDashboard({ coachId, period }), [coachId, period]);
    const version = useCallback(() => fetchVersion(coachId), [coachId]);
    const live = useLive(load, `${coachId}|${periodId(period)}`, { ready: numbersReady, version, versionOf, updatedAt });
    const view = live.data;
    const timeline = useTimelineNotes(view, coachId);
    const [drill, setDrill] = useState(/** @type {{ kpi: string, label: string } | null} */ (null));
    const [toast, setToast] = useState(/** @type {{ message: string, tone?: 'error' | 'success' } | null} */ (null));
    // the password offer after a magic link: read in a task of its own after the first render (the tab's first
    // sessionStorage read costs a few milliseconds, more on a phone: not in the render that first paints the page)
    const [offer, setOffer] = useState(false);
    // every headline tile is on screen (Headline renders them in two tasks), or a render error shows instead: until
    // then <main> is busy
    const [tilesShown, setTilesShown] = useState(false);
    const showTiles = useCallback(() => setTilesShown(true), []);
    useEffect(() => (readOnly ? undefined : inNextTask(() => setOffer(passwordOffer.pending()))), []);
    const [, setTick] = useState(0);
    // while the data loads (after the first frame): the sections' code, then the formatters (format.js, warmFormats),
    // each in a task of its own rather than in the task that asks for the data
    useEffect(() => inNextTask(() => {
        for (const part of ON_DEMAND_SECTIONS) part.preload();
        warmFormats(rememberedCurrency());
    }), []);
    useEffect(() => {
        // the retry countdown stays current ("il y a 3 min" has its own clock: Ago, which renders only itself)
        if (!live.retryAt) return;
        const t = setInterval(() => setTick((n) => n + 1), 1000);
        return () => clearInterval(t);
    }, [!!live.retryAt]);

    const notify = useCallback((/** @type {string} */ message, /** @type {'error' | 'success'} */ tone = 'error') => setToast({ message, tone }), []);
    const signOut = async () => {
        const { error } = await supabase.auth.signOut();
        if (error) notify('Déconnexion impossible. Réessayez.');
    };
    const retryIn = live.retryAt ? Math.max(0, Math.ceil((live.retryAt - Date.now()) / 1000)) : null;
    const stale = !!(view && live.problem);
    const doc = view?.doc;
    // the short "Bien démarrer" above the tiles, until the coach hides it (kept per coach in this browser)
    const hiddenKey = `onboarding-hidden:${doc?.coach.id ?? ''}`;
    const [hiddenFor, setHiddenFor] = useState(() => readFlag(hiddenKey));
    const onboardingHidden = hiddenFor || readFlag(hiddenKey);
    const hideOnboarding = () => {
        try {
            localStorage.setItem(hiddenKey, '1');
        } catch {
            /* private mode: hidden for this page only */
        }
        setHiddenFor(true);
    };

    const preparing = !!doc && live.preparing;
    const currency = doc?.coach.currency;
    useEffect(() => {
        if (!currency || currency === rememberedCurrency()) return;
        try {
            localStorage.setItem(CURRENCY_KEY, currency);
        } catch {
            /* private mode: no money format made ahead next time */
        }
    }, [currency]);
    // What the sections read, and the parts below the header, made again only when what they show changed: the
    // page renders again for other reasons (the loading flag, the timeline notes, a toast), and a part whose element
    // is the same object is not rendered again (nor is a section whose context is the same object).
    const context = useMemo(() => view && { ...view, period, coachId, readOnly, drill: (/** @type {string} */ kpi, /** @type {string} */ label) => setDrill({ kpi, label }) },
        [view, period, coachId, readOnly]);
    const compactOnboarding = !!doc && doc.performance.setter_cost_estimated && !readOnly && !onboardingHidden;
    const headlinePart = useMemo(() => doc && html`<div key="headline" class="space-y-6">
            ${compactOnboarding && html`<${Onboarding} doc=${doc} readOnly=${readOnly} compact onHide=${hideOnboarding} />`}
            <${Headline} onShown=${showTiles} />
        </div>`, [doc, readOnly, compactOnboarding]);
    const followUpCard = useMemo(() => doc && html`<${FollowUpCard} wide=${doc.trend.dates.length < 2} />`, [doc]);
    const trendCard = useMemo(() => html`<${Later}><${TrendCard} notes=${timeline.notes} /><//>`, [timeline.notes]);
    const followUpPart = useMemo(() => html`<div key="follow-up" class="grid grid-cols-1 gap-3 lg:grid-cols-5">${followUpCard}${trendCard}</div>`,
        [followUpCard, trendCard]);
    const notesPart = useMemo(() => doc && html`<${NotesCard} key="notes" notes=${timeline.notes} problem=${timeline.problem} reload=${timeline.reload}
            timezone=${doc.period.timezone} currency=${doc.coach.currency} readOnly=${readOnly} notify=${notify} />`,
        [doc, timeline.notes, timeline.problem, timeline.reload, readOnly]);
    const sectionParts = useMemo(() => [
        html`<${ActivitySection} key="activity" />`,
        html`<${ReplyRatesSection} key="reply_rates" />`,
        html`<${VariantsSection} key="variants" />`,
        html`<${QualificationSection} key="qualification" />`,
        html`<${DemographicsSection} key="demographics" />`,
        html`<${PipelineSection} key="pipeline" />`,
        // the last two in one task: the tests (and scripts/lighthouse.mjs) take the performance section as the sign
        // that every part is there
        [html`<${PerformanceSection} key="performance" />`, html`<${CohortsSection} key="cohorts" />`],
    ], []);
    // the selector and the range line keep their place from the first frame (skeleton, preparing), so nothing moves
    // when the numbers arrive; a coach without any lead gets the onboarding card instead. The range line reserves
    // the lines its longest text takes (a range across two years, compared up to a time): three on a phone, two
    // up to lg, one from lg on.
    const showPeriods = !doc || doc.has_leads || preparing;

    // <main> is a column with gaps, not space-y-6: that sibling rule (> :not([hidden]) ~ :not([hidden])) made the
    // browser restyle all of <main> each time the page adds a part (Staged)
    return html`<${Page}>
        <header class="mb-4 space-y-4">
          <div class="flex flex-wrap items-start justify-between gap-3">
            <div class="min-w-0">
                ${readOnly && html`<p class="mb-1 text-sm font-medium text-amber-200" data-testid="read-only">Vue administrateur · lecture seule</p>`}
                <h1 class="break-words text-2xl font-bold sm:text-3xl" data-testid="coach-name">${doc ? doc.coach.name : 'Tableau de bord'}</h1>
                <p class="text-sm text-white/80" data-testid="last-updated">
                    ${!doc ? session.user.email : preparing ? 'Préparation des chiffres…' : html`Mis à jour <${Ago} iso=${live.lastUpdated} />`}
                    ${stale && html` · <span class="font-medium text-amber-200" data-testid="stale">chiffres de ${formatTime(/** @type {number} */ (live.loadedAt))}</span>`}
                </p>
            </div>
            <div class="flex flex-wrap items-center gap-2">
                <${LeadSearch} coachId=${coachId} />
                <button type="button" class=${GHOST_BUTTON} onClick=${live.refresh} aria-busy=${live.loading} data-testid="refresh">
                    <${RefreshCw} size=${16} aria-hidden="true" class=${live.loading ? 'animate-spin' : ''} />
                    <${StableLabel} labels=${Object.values(REFRESH_LABELS)}
                        current=${REFRESH_LABELS[live.waiting ? 'waiting' : live.loading ? 'loading' : 'idle']} />
                </button>
                ${isAdmin(session)
                    ? html`<a class=${GHOST_BUTTON} href="/admin" data-testid="coach-list"><${List} size=${16} aria-hidden="true" />Liste des coachs</a>`
                    : html`<a class=${GHOST_BUTTON} href="/settings" data-testid="settings-link"><${Settings} size=${16} aria-hidden="true" />Réglages</a>`}
                <button type="button" class=${GHOST_BUTTON} onClick=${signOut} data-testid="sign-out" title="Se déconnecter">
                    <${LogOut} size=${16} aria-hidden="true" /><span class="sr-only sm:not-sr-only">Se déconnecter</span>
                </button>
            </div>
          </div>
        ${showPeriods && html`<div class="space-y-2">
            <${PeriodSelector} period=${period} coachId=${coachId} />
            <${PeriodPicker} key=${`${periodId(period)}|${doc?.period.timezone ?? ''}`} period=${period} coachId=${coachId}
                today=${todayIn(doc?.period.timezone)} />
            <p class="min-h-[3.75rem] text-sm text-white/80 sm:min-h-10 lg:min-h-5" data-testid="period-range">${doc && !preparing ? periodText(doc.period) : '\u00a0'}</p>
        </div>`}
        </header>
        <main id="main" tabindex="-1" class="flex flex-col gap-6" aria-busy=${live.loading || (!!doc && doc.has_leads && !preparing && !tilesShown)}
            data-stale=${stale ? 'true' : undefined}>
        ${stale && live.problem &&
        html`<div role="status" class="flex flex-wrap items-center gap-3 rounded-xl border border-amber-300/50 bg-amber-950 p-3 text-sm text-amber-100" data-testid="stale-banner">
            <${TriangleAlert} size=${18} aria-hidden="true" class="shrink-0" />
            <span class="min-w-0 flex-1">Mise à jour impossible. ${live.problem.message} Les chiffres affichés datent de ${formatTime(/** @type {number} */ (live.loadedAt))}.
                ${retryIn != null && ` Nouvel essai dans ${retryIn} s.`}</span>
            ${live.problem.retry && html`<button type="button" class="rounded font-semibold underline" onClick=${live.refresh}>Réessayer</button>`}
        </div>`}
            ${offer && html`<${SetPassword} onDone=${() => { passwordOffer.done(); setOffer(false); }} notify=${notify} />`}
            <${AlertBanner} coachId=${coachId} readOnly=${readOnly} alerts=${view?.alerts} notify=${notify} />
            <${ErrorBoundary} onRetry=${live.refresh} onError=${showTiles} resetKey=${live.loadedAt}>
            ${!view
                ? live.problem ? html`<${Unavailable} problem=${live.problem} retryIn=${retryIn} retry=${live.refresh} admin=${isAdmin(session)} />
                    ${period.key === 'range' && html`<p class="text-center"><a class="underline underline-offset-2" href=${dashboardHref(DEFAULT_PERIOD, coachId)}
                        data-testid="back-to-default">Revenir aux 30 derniers jours</a></p>`}` : html`<${LoadingSkeleton} />`
                : preparing
                  ? html`<${Preparing} />`
                  : !view.doc.has_leads
                    ? html`<${Onboarding} doc=${view.doc} readOnly=${readOnly} />`
                    : html`<${DashboardContext.Provider} value=${context}>
                        <${Staged} parts=${[headlinePart, followUpPart, notesPart, ...sectionParts]} ready=${sectionsCode} waitFrom=${1} />
                        <${DrillDown} target=${drill} onClose=${() => setDrill(null)} />
                    <//>`}
            <//>
            <${Toast} message=${toast?.message ?? null} tone=${toast?.tone} onClose=${() => setToast(null)} />
        </main>
    <//>`;
}
