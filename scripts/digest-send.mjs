#!/usr/bin/env node
// npm run digest:send -- [--coach <coach_id>] [--week <YYYY-Www>]
// Runs the send-digests edge function of the running local stack (npm start) now: the digests due (every coach's
// last week, and yesterday for the coaches with the daily digest), or the given coach's, or the given week's. The
// ledger sends each coach's digest of a period once: running it twice sends nothing the second time. Read the emails
// in the stack's mail inbox (http://127.0.0.1:54324, MAIL_WEB_PORT).
// Environment: API_EXTERNAL_URL (default http://127.0.0.1:$API_PORT, API_PORT 54321), SERVICE_ROLE_KEY (default the
// local stack's).
import { parseArgs } from 'node:util';
import { LOCAL_SERVICE_ROLE_KEY } from '../local-supabase/api/jwt.js';

let args;
try {
    ({ values: args } = parseArgs({ options: { coach: { type: 'string' }, week: { type: 'string' } }, strict: true }));
} catch (e) {
    console.error(`digest:send: ${e.message}\nusage: npm run digest:send -- [--coach <coach_id>] [--week <YYYY-Www>]`);
    process.exit(2);
}
const api = (process.env.API_EXTERNAL_URL ?? `http://127.0.0.1:${process.env.API_PORT ?? 54321}`).replace(/\/$/, '');
const body = { ...(args.coach ? { coach_id: args.coach } : {}), ...(args.week ? { week: args.week } : {}) };
let res;
try {
    res = await fetch(`${api}/functions/v1/send-digests`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${process.env.SERVICE_ROLE_KEY ?? LOCAL_SERVICE_ROLE_KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
    });
} catch (e) {
    console.error(`digest:send: cannot reach ${api} (${e.cause?.code ?? e.message}): is npm start running?`);
    process.exit(1);
}
const out = await res.json().catch(() => null);
if (!res.ok || !out) {
    console.error(`digest:send: send-digests answered ${res.status}: ${out ? `${out.error}: ${out.message}` : 'no JSON'}`);
    process.exit(1);
}
const line = (d) => `  ${d.kind} ${d.period} for coach ${d.coach_id}${d.error ? `: ${d.error}` : ''}`;
console.log(`digest:send: ${out.sent.length} sent, ${out.skipped.length} taken by another run, ${out.failed.length} failed (${out.due} due)`);
for (const d of out.sent) console.log(line(d));
if (out.failed.length) {
    console.error('failed (sent again by the next run):');
    for (const d of out.failed) console.error(line(d));
    process.exit(1);
}
if (!out.due) console.log('  nothing due: every digest of the period was sent already');
