// /functions/v1 forwards requests as Supabase's gateway does, checked with curl (which adds Expect: 100-continue by
// itself above 1 MB) and a raw WebSocket handshake, against a test function that tells what reached it
// (tests/api/fixtures/functions/echo, on an API process of its own with FUNCTIONS_DIR pointing there):
//   - Expect: 100-continue, a chunked body, Keep-Alive and Upgrade no longer give 500 WORKER_ERROR: the body arrives
//     whole, the hop-by-hop headers stay with the gateway, a WebSocket works end to end;
//   - a body above the cap gets 413 before it is sent;
//   - Deno gets the machine's CA and proxy settings (behind a TLS-inspecting proxy the first boot downloads through it).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, SERVICE_ROLE_KEY, startApiProcess } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'fn-proxy-'));
const CAP = 4 * 1024 * 1024;
let api;
before(async () => {
    api = await startApiProcess({
        FUNCTIONS_DIR: join(ROOT, 'tests/api/fixtures/functions'),
        API_MAX_BODY_BYTES: String(CAP),
        SSL_CERT_FILE: '/etc/ssl/certs/ca-certificates.crt',
        NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt',
        HTTPS_PROXY: 'http://127.0.0.1:9', // never used: the function has no dependency, Deno runs --cached-only
        NO_PROXY: '127.0.0.1,localhost',
        DENO_TLS_CA_STORE: '',
    });
});
after(() => {
    api?.child.kill('SIGTERM');
    rmSync(tmp, { recursive: true, force: true });
});

/** curl -v (to see what it sent) to the echo function: { status, body, trace }. */
function curl(args) {
    return new Promise((resolve, reject) => {
        execFile('curl', ['-sS', '-v', '-o', '-', '-w', '\n%{http_code}', '-H', `Authorization: Bearer ${SERVICE_ROLE_KEY}`, ...args],
            { maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
                if (error) return reject(new Error(`${error.message}\n${stderr}`));
                const cut = stdout.lastIndexOf('\n');
                const text = stdout.slice(0, cut);
                let body = text;
                try {
                    body = JSON.parse(text);
                } catch { /* not JSON */ }
                resolve({ status: Number(stdout.slice(cut + 1)), body, trace: stderr });
            });
    });
}

const fileOf = (bytes) => {
    const data = randomBytes(bytes);
    const file = join(tmp, `body-${bytes}`);
    writeFileSync(file, data);
    return { file, sha256: createHash('sha256').update(data).digest('hex') };
};

// The client's hop-by-hop headers that must not reach the function (its Connection header is the gateway's own hop).
const hopByHop = (headers) => Object.keys(headers).filter((h) =>
    ['keep-alive', 'transfer-encoding', 'upgrade', 'expect', 'te', 'trailer', 'proxy-connection'].includes(h));

describe('the functions proxy forwards as the gateway does', () => {
    test('Expect: 100-continue (curl\'s own, 2 MB body): 200, the whole body reaches the function', async () => {
        const { file, sha256 } = fileOf(2 * 1024 * 1024);
        const r = await curl(['-X', 'POST', `${api.url}/functions/v1/echo`, '-H', 'Content-Type: application/octet-stream', '--data-binary', `@${file}`]);
        assert.match(r.trace, /> Expect: 100-continue/i, 'curl asked for 100-continue');
        assert.match(r.trace, /< HTTP\/1\.1 100 Continue/, 'the gateway answered it');
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.deepEqual([r.body.length, r.body.sha256], [2 * 1024 * 1024, sha256]);
        assert.deepEqual(hopByHop(r.body.headers), []);
    });

    test('Transfer-Encoding: chunked: 200, the body reassembled', async () => {
        const { file, sha256 } = fileOf(300_000);
        const r = await curl(['-X', 'POST', `${api.url}/functions/v1/echo/sub/path?x=1`, '-H', 'Transfer-Encoding: chunked', '--data-binary', `@${file}`]);
        assert.match(r.trace, /> Transfer-Encoding: chunked/i);
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.deepEqual([r.body.length, r.body.sha256, r.body.path], [300_000, sha256, '/echo/sub/path']);
        assert.deepEqual(hopByHop(r.body.headers), []);
    });

    test('Connection: keep-alive and Keep-Alive: 200, two requests over one connection', async () => {
        const r = await curl(['-H', 'Connection: keep-alive', '-H', 'Keep-Alive: timeout=5, max=10', '-H', 'X-Custom: kept',
            `${api.url}/functions/v1/echo`, `${api.url}/functions/v1/echo`]);
        assert.equal(r.status, 200);
        assert.match(r.trace, /Re-using existing connection|Reusing existing/i, 'the second request used the same connection');
        const first = JSON.parse(String(r.body).split('\n')[0].replace(/200$/, '') || '{}');
        assert.equal(first.headers['x-custom'], 'kept', 'end-to-end headers are forwarded');
        assert.deepEqual(hopByHop(first.headers), []);
    });

    test('Upgrade: websocket: 101 from the function, and messages both ways', async () => {
        const socket = connect(api.port, '127.0.0.1');
        await new Promise((r) => socket.on('connect', r));
        const key = randomBytes(16).toString('base64');
        socket.write([`GET /functions/v1/echo HTTP/1.1`, `Host: 127.0.0.1:${api.port}`, 'Connection: Upgrade', 'Upgrade: websocket',
            'Sec-WebSocket-Version: 13', `Sec-WebSocket-Key: ${key}`, `Authorization: Bearer ${SERVICE_ROLE_KEY}`, '', ''].join('\r\n'));
        let data = Buffer.alloc(0);
        const until = (test) => new Promise((resolve, reject) => {
            const check = () => {
                const hit = test(data);
                if (hit) {
                    socket.off('data', onData);
                    resolve(hit);
                }
            };
            const onData = (d) => {
                data = Buffer.concat([data, d]);
                check();
            };
            socket.on('data', onData);
            socket.once('error', reject);
            setTimeout(() => reject(new Error(`no answer: ${data.toString()}`)), 10_000).unref();
            check();
        });
        const head = await until((d) => (d.includes('\r\n\r\n') ? d.toString('latin1', 0, d.indexOf('\r\n\r\n')) : null));
        assert.match(head, /^HTTP\/1\.1 101/);
        const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
        assert.match(head, new RegExp(`sec-websocket-accept: ${accept.replace(/[+/=]/g, '\\$&')}`, 'i'));
        data = data.subarray(data.indexOf('\r\n\r\n') + 4);
        // one masked text frame "hello", as a client must send it
        const payload = Buffer.from('hello');
        const mask = randomBytes(4);
        socket.write(Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, Buffer.from(payload.map((b, i) => b ^ mask[i % 4]))]));
        const frame = await until((d) => (d.length >= 2 && d.length >= 2 + (d[1] & 0x7f) ? d : null));
        assert.equal(frame[0], 0x81, 'a text frame');
        assert.equal(frame.subarray(2, 2 + (frame[1] & 0x7f)).toString(), 'echo:hello');
        socket.destroy();
    });

    test('an upgrade without a JWT gets the gateway\'s 401; one to another path 404', async () => {
        const ask = (path, auth) => new Promise((resolve) => {
            const s = connect(api.port, '127.0.0.1', () => s.write([`GET ${path} HTTP/1.1`, 'Host: x', 'Connection: Upgrade',
                'Upgrade: websocket', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==', ...(auth ? [auth] : []), '', ''].join('\r\n')));
            let out = '';
            s.on('data', (d) => { out += d; });
            s.on('close', () => resolve(out));
        });
        assert.match(await ask('/functions/v1/echo'), /^HTTP\/1\.1 401/);
        assert.match(await ask('/rest/v1/rpc/health', `Authorization: Bearer ${SERVICE_ROLE_KEY}`), /^HTTP\/1\.1 404/);
    });

    test('a body above the cap: 413 before curl sends it (Expect answered with 413)', async () => {
        const { file } = fileOf(CAP + 1);
        const r = await curl(['-X', 'POST', `${api.url}/functions/v1/echo`, '--data-binary', `@${file}`]);
        assert.equal(r.status, 413);
        assert.doesNotMatch(r.trace, /100 Continue/);
        assert.match(JSON.stringify(r.body), /too large/);
    });

    test('Deno gets the machine\'s CA and proxy settings, and uses the system store SSL_CERT_FILE points into', async () => {
        const r = await curl([`${api.url}/functions/v1/echo`]);
        assert.equal(r.status, 200);
        assert.deepEqual(r.body.env, {
            SSL_CERT_FILE: '/etc/ssl/certs/ca-certificates.crt',
            SSL_CERT_DIR: process.env.SSL_CERT_DIR ?? null,
            NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt',
            HTTPS_PROXY: 'http://127.0.0.1:9',
            NO_PROXY: '127.0.0.1,localhost',
            DENO_TLS_CA_STORE: 'system,mozilla',
            DENO_DIR: process.env.DENO_DIR ?? null,
        });
    });
});
