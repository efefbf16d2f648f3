// @ts-check
// The page's one render entry: the session, the routes and their guards.
import { html } from 'htm/preact';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { LocationProvider, Router, lazy, useLocation } from 'preact-iso';
import { supabase, isAdmin, mayHaveSession, storedSession } from './supabase.js';
import { prefetchDashboard } from './api.js';
import { inNextTask } from './next-task.js';
import { periodFromQuery } from './period.js';
import { LoginPage } from './pages/login.js';
import { DashboardPage } from './pages/dashboard/index.js';
import { ErrorBoundary, Page, Skeleton } from './ui.js';

// the lead page, the settings, the admin's list and /health are loaded on demand: they stay out of the first load
// (a coach's dashboard)
const LeadPage = lazy(() => import('./pages/lead.js').then((m) => m.LeadPage));
const SettingsPage = lazy(() => import('./pages/settings.js').then((m) => m.SettingsPage));
const AdminPage = lazy(() => import('./pages/admin.js').then((m) => m.AdminPage));
const HealthPage = lazy(() => import('./pages/health.js').then((m) => m.HealthPage));

/** @typedef {import('@supabase/auth-js').Session} Session */

// A coach opening its dashboard with a session stored: its first document is asked for at once (api.js,
// prefetchDashboard, which the page takes when it mounts), in a task of its own after this script's, rather than once
// the auth client has restored the session and the page has rendered and run its effects.
inNextTask(() => {
    const stored = storedSession();
    if (!stored || isAdmin(stored) || location.pathname !== '/dashboard') return;
    const period = periodFromQuery(Object.fromEntries(new URLSearchParams(location.search)));
    if (period.key !== 'range') prefetchDashboard(period.key);
});

/** @param {{ to: string }} props */
function Redirect({ to }) {
    const { route } = useLocation();
    useEffect(() => route(to, true), [to]);
    return null;
}

const Waiting = () => html`<${Page} narrow><div class="mt-24"><${Skeleton} class="h-48" /></div><//>`;

/** Where a signed-in user belongs. @param {Session} s */
const home = (s) => (isAdmin(s) ? '/admin' : '/dashboard');

/** @param {{ session: Session | null | undefined, path?: string }} props */
const Home = ({ session }) => (session === undefined ? html`<${Waiting} />` : html`<${Redirect} to=${session ? home(session) : '/login'} />`);

/** @param {{ session: Session | null | undefined }} props */
const Login = ({ session }) =>
    session === undefined ? html`<${Waiting} />` : session ? html`<${Redirect} to=${home(session)} />` : html`<${LoginPage} />`;

/**
 * An admin reads a coach's dashboard from the list (?coach=<id>); an admin without one goes to the list, never to
 * a dashboard of its own (it has no coach row).
 * @param {{ session: Session | null | undefined }} props
 */
const Dashboard = ({ session }) => {
    const { query } = useLocation();
    if (session === undefined) return html`<${Waiting} />`;
    if (!session) return html`<${Redirect} to="/login" />`;
    if (isAdmin(session) && !query.coach) return html`<${Redirect} to="/admin" />`;
    return html`<${DashboardPage} session=${session} />`;
};

/** @param {{ session: Session | null | undefined }} props */
const Settings = ({ session }) =>
    session === undefined
        ? html`<${Waiting} />`
        : !session
          ? html`<${Redirect} to="/login" />`
          : isAdmin(session)
            ? html`<${Redirect} to="/admin" />`
            : html`<${SettingsPage} />`;

/** A lead's page: its coach, or an admin (read-only, ?coach=<id>). @param {{ session: Session | null | undefined, path?: string }} props */
const Lead = ({ session }) =>
    session === undefined ? html`<${Waiting} />` : !session ? html`<${Redirect} to="/login" />` : html`<${LeadPage} session=${session} />`;

/** @param {{ session: Session | null | undefined }} props */
const Admin = ({ session }) =>
    session === undefined
        ? html`<${Waiting} />`
        : !session
          ? html`<${Redirect} to="/login" />`
          : isAdmin(session)
            ? html`<${AdminPage} />`
            : html`<${Redirect} to="/dashboard" />`;

function App() {
    // undefined while the auth client restores the session (or reads a magic link), then a session or null; null at
    // once when there is none to restore
    const [session, setSession] = useState(/** @type {Session | null | undefined} */ (mayHaveSession ? undefined : null));
    // the auth client's chunk failed to load: a render error below (French, "Réessayer" subscribes again, which loads
    // it again), not a skeleton forever
    const [failure, setFailure] = useState(/** @type {unknown} */ (null));
    const [attempt, setAttempt] = useState(0);
    useEffect(() => {
        const { data } = supabase.auth.onAuthStateChange((_event, s) => setSession(s), setFailure);
        return () => data.subscription.unsubscribe();
    }, [attempt]);
    // the last resort: a page that fails to render says so in French with a retry, never a blank or frozen page
    return html`<${LocationProvider}>
        <${ErrorBoundary} testid="page-error" onRetry=${() => { setFailure(null); setAttempt((n) => n + 1); }}>
        ${failure ? html`<${Failed} error=${failure} />` : html`<${Router}>
            <${Home} path="/" session=${session} />
            <${Login} path="/login" session=${session} />
            <${Dashboard} path="/dashboard" session=${session} />
            <${Settings} path="/settings" session=${session} />
            <${Lead} path="/leads/:id" session=${session} />
            <${Admin} path="/admin" session=${session} />
            <${HealthPage} path="/health" />
            <${Redirect} default to="/" />
        <//>`}
        <//>
    <//>`;
}

/** Throws `error` while rendering: a failure met outside rendering, shown by the nearest ErrorBoundary. */
const Failed = (/** @type {{ error: unknown }} */ { error }) => {
    throw error;
};

render(html`<${App} />`, /** @type {HTMLElement} */ (document.getElementById('app')));
