// Database connections of the stand-in, as the Supabase services hold theirs:
//   - PostgREST connects as `authenticator` and switches role per request (its pool here: restPool);
//   - GoTrue connects as `supabase_auth_admin`, owner of the auth schema (authPool).
// A connection lost mid-query (a database restart) must never crash the API: every client gets an 'error' listener,
// broken clients are dropped, and the next request connects again. While the database is down, callers get a 503
// without any internal address.
import pg from 'pg';

/** The URL of the same database for another login role (the password, if any, is kept: locally it is trust). */
export function urlForRole(databaseUrl, role) {
    const u = new URL(databaseUrl);
    u.username = role;
    return u.toString();
}

export function createPool(connectionString, applicationName, log = console.error) {
    const pool = new pg.Pool({ connectionString, max: 10, application_name: applicationName, connectionTimeoutMillis: 10_000 });
    // Idle clients (pool) and checked-out clients (each client) both report lost connections here, never unhandled.
    pool.on('error', (e) => log(`api: ${applicationName}: idle database connection lost (${e.code ?? e.message})`));
    pool.on('connect', (client) => client.on('error', (e) => log(`api: ${applicationName}: database connection lost (${e.code ?? e.message})`)));
    return pool;
}

const CONNECTION_CODES = new Set([
    'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN',
    '57P01', // admin_shutdown: terminating connection due to administrator command
    '57P02', // crash_shutdown
    '57P03', // cannot_connect_now: the database system is starting up / shutting down
]);

/** True for an error that means "the database cannot be reached right now" rather than an error of the query. */
export function isConnectionError(e) {
    if (!e) return false;
    if (CONNECTION_CODES.has(e.code) || (typeof e.code === 'string' && e.code.startsWith('08'))) return true;
    return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended/i
        .test(String(e.message ?? ''));
}

/**
 * The settings of the impersonated roles (ALTER ROLE anon SET statement_timeout = '3s', …), database-specific ones
 * over global ones, applied per request as PostgREST does since v11.1 (a SET ROLE alone does not apply them).
 * Cached for a few seconds, as PostgREST caches them until a config reload.
 */
export function roleSettingsCache(pool, roles, ttlMs = 5000) {
    let cached = null;
    let at = 0;
    return async function settingsFor(role) {
        if (!cached || Date.now() - at > ttlMs) {
            const { rows } = await pool.query(
                `select r.rolname, s.setdatabase <> 0 as this_database, s.setconfig
                 from pg_catalog.pg_db_role_setting as s
                 join pg_catalog.pg_roles as r on r.oid = s.setrole
                 where r.rolname = any($1::text[])
                    and s.setdatabase in (0, (select d.oid from pg_catalog.pg_database as d where d.datname = current_database()))
                 order by this_database`,
                [roles],
            );
            const next = new Map(roles.map((r) => [r, new Map()]));
            for (const row of rows) {
                for (const item of row.setconfig ?? []) {
                    const eq = item.indexOf('=');
                    next.get(row.rolname).set(item.slice(0, eq), item.slice(eq + 1));
                }
            }
            cached = next;
            at = Date.now();
        }
        return [...(cached.get(role) ?? new Map())];
    };
}
