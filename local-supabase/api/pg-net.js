// pg_net's background worker, for the local stand-in of pg_net in local-supabase/platform.sql (Supabase's pg_net
// sends the requests that net.http_post / net.http_get queued, after their transaction commits, and stores each
// answer in net._http_response). Run by the API when PG_NET_WORKER=1 (npm start); tests start it themselves.
//   - woken by NOTIFY pg_net (sent by net.http_post at commit), and every pollMs in case a notification was missed;
//   - takes up to `batch` requests at a time (FOR UPDATE SKIP LOCKED, deleted from the queue as pg_net does: a request
//     in flight when the process ends is lost, as with pg_net's worker), sends them concurrently with their
//     timeout_milliseconds, and writes status, content type, headers and body, or timed_out / error_msg;
//   - deletes answers older than 6 hours (pg_net's default pg_net.ttl).
import pg from 'pg';

/**
 * @param {{ databaseUrl: string, log?: (line: string) => void, pollMs?: number, batch?: number }} options
 * @returns {{ stop: () => Promise<void>, drain: () => Promise<void> }}
 */
export function startPgNetWorker({ databaseUrl, log = console.log, pollMs = 1000, batch = 20 }) {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 2, application_name: 'local-pg-net' });
    pool.on('error', () => {}); // a dropped idle connection: the next query reconnects
    let stopped = false;
    let running = null;
    let again = false;
    let listener = null;

    async function send(r) {
        try {
            const res = await fetch(r.url, {
                method: r.method,
                headers: r.headers,
                body: r.method === 'GET' ? undefined : r.body,
                signal: AbortSignal.timeout(r.timeout_milliseconds),
            });
            const content = await res.text();
            await pool.query(
                `insert into net._http_response (id, status_code, content_type, headers, content, timed_out, error_msg)
                 values ($1, $2, $3, $4, $5, false, null)`,
                [r.id, res.status, res.headers.get('content-type'), JSON.stringify(Object.fromEntries(res.headers)), content]);
        } catch (e) {
            const timedOut = e?.name === 'TimeoutError';
            const message = timedOut ? `Timeout of ${r.timeout_milliseconds} ms reached` : String(e?.cause?.message ?? e?.message ?? e);
            await pool.query(
                `insert into net._http_response (id, timed_out, error_msg) values ($1, $2, $3)`, [r.id, timedOut, message])
                .catch((err) => log(`pg_net: request ${r.id}: ${message}; its answer could not be stored (${err.message})`));
        }
    }

    async function take() {
        const { rows } = await pool.query(
            `delete from net.http_request_queue
             where id in (select q.id from net.http_request_queue as q order by q.id for update skip locked limit $1)
             returning id, method, url, headers, convert_from(body, 'UTF8') as body, timeout_milliseconds`, [batch]);
        return rows;
    }

    /** Sends everything queued now; concurrent calls share one run (and make it look again when it ends). */
    function drain() {
        if (running) {
            again = true;
            return running;
        }
        running = (async () => {
            try {
                do {
                    again = false;
                    const rows = await take();
                    await Promise.all(rows.map(send));
                    if (rows.length === batch) again = true;
                } while (again && !stopped);
                await pool.query(`delete from net._http_response where created < now() - interval '6 hours'`);
            } catch (e) {
                if (!stopped) log(`pg_net: ${e.code ?? ''} ${e.message}`);
            } finally {
                running = null;
            }
        })();
        return running;
    }

    // LISTEN on a connection of its own (not the pool's: the requests always find a connection); connecting says a
    // connection is being opened, so the timer never opens a second one meanwhile
    let connecting = false;
    async function listen() {
        if (listener || connecting || stopped) return;
        connecting = true;
        const client = new pg.Client({ connectionString: databaseUrl, application_name: 'local-pg-net-listen' });
        try {
            client.on('notification', () => drain());
            client.on('error', () => {
                if (listener === client) listener = null;
            });
            await client.connect();
            await client.query('listen pg_net');
            if (stopped) await client.end();
            else listener = client;
        } catch (e) {
            client.end().catch(() => {});
            if (!stopped) log(`pg_net: cannot listen (${e.code ?? e.message}); polling every ${pollMs} ms`);
        } finally {
            connecting = false;
        }
    }

    listen();
    const timer = setInterval(() => {
        listen();
        drain();
    }, pollMs);
    timer.unref();

    return {
        drain,
        async stop() {
            stopped = true;
            clearInterval(timer);
            await running;
            await listener?.end().catch(() => {});
            await pool.end();
        },
    };
}
