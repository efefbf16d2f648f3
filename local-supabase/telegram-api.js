#!/usr/bin/env node
// A local server that answers like the Telegram Bot API (https://core.telegram.org/bots/api), for the tests of the
// send-telegram and telegram-connect edge functions (TELEGRAM_API_URL points at it) and for trying the Telegram
// settings locally without a real bot. No network beyond 127.0.0.1.
//
//   POST|GET /bot<token>/getMe         {ok: true, result: User}
//   POST|GET /bot<token>/sendMessage   chat_id, text (JSON, form or query) -> {ok: true, result: Message}
//   Errors as Telegram gives them: HTTP status = error_code, body {ok: false, error_code, description[, parameters]}:
//   401 Unauthorized (unknown or revoked token), 400 Bad Request: chat not found / chat_id is empty / message text
//   is empty, 404 Not Found (unknown method); and any answer queued with fail() (e.g. 429 with parameters.retry_after).
//
// As a module: startTelegramApi({ bots }) where bots maps a token to the chats it may write to (null: any chat); with
// no bots given, any well-formed token and chat are accepted. As a program: `node local-supabase/telegram-api.js
// [--port 54326] [--url-file <file>]` accepts any well-formed token and chat, prints each message, and lists them at
// GET /messages (npm test runs it on a free port, --port 0, for the API it starts: TELEGRAM_API_URL).
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

const TOKEN_RE = /^[0-9]{1,20}:[A-Za-z0-9_-]{20,100}$/;

export async function startTelegramApi({ port = 0, host = '127.0.0.1', bots = null, log = null } = {}) {
    const known = bots ? new Map(Object.entries(bots).map(([t, chats]) => [t, { chats: chats && new Set(chats.map(String)), revoked: false }])) : null;
    const messages = []; // { token, chat_id, text, message_id, date }
    const failures = []; // { token, answer: {error_code, description, parameters?} }
    let nextId = 1;

    const bot = (token) => {
        if (!TOKEN_RE.test(token)) return null;
        if (!known) return { chats: null, revoked: false };
        const b = known.get(token);
        return b && !b.revoked ? b : null;
    };
    const send = (res, status, body) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
    };
    const error = (res, code, description, parameters) =>
        send(res, code, { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) });

    const server = createServer(async (req, res) => {
        const url = new URL(req.url, 'http://localhost');
        if (req.method === 'GET' && url.pathname === '/messages') return send(res, 200, messages);
        const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
        if (!m) return error(res, 404, 'Not Found');
        const [, token, method] = m;
        const chunks = [];
        for await (const c of req) chunks.push(c);
        const raw = Buffer.concat(chunks).toString('utf8');
        const params = Object.fromEntries(url.searchParams);
        try {
            if (/json/.test(req.headers['content-type'] ?? '') && raw) Object.assign(params, JSON.parse(raw));
            else if (raw) Object.assign(params, Object.fromEntries(new URLSearchParams(raw)));
        } catch {
            return error(res, 400, 'Bad Request: can\'t parse JSON object');
        }
        const b = bot(token);
        if (!b) return error(res, 401, 'Unauthorized');
        const botId = Number(token.split(':')[0]);
        if (method === 'getMe') {
            return send(res, 200, { ok: true, result: { id: botId, is_bot: true, first_name: 'Coach Setter (local)', username: `local_${botId}_bot` } });
        }
        if (method !== 'sendMessage') return error(res, 404, 'Not Found');
        const queued = failures.findIndex((f) => f.token === token || f.token === '*');
        if (queued >= 0) {
            const [{ answer }] = failures.splice(queued, 1);
            return error(res, answer.error_code, answer.description, answer.parameters);
        }
        const chat = params.chat_id === undefined || params.chat_id === null ? '' : String(params.chat_id);
        if (!chat) return error(res, 400, 'Bad Request: chat_id is empty');
        if (!String(params.text ?? '').trim()) return error(res, 400, 'Bad Request: message text is empty');
        if (!/^(-?[0-9]+|@[A-Za-z][A-Za-z0-9_]{3,31})$/.test(chat) || (b.chats && !b.chats.has(chat))) {
            return error(res, 400, 'Bad Request: chat not found');
        }
        const message = { token, chat_id: chat, text: String(params.text), message_id: nextId++, date: Math.floor(Date.now() / 1000) };
        messages.push(message);
        log?.(`telegram: to ${chat} from bot ${botId}: ${message.text.replace(/\n/g, ' / ')}`);
        return send(res, 200, {
            ok: true,
            result: {
                message_id: message.message_id,
                from: { id: botId, is_bot: true, first_name: 'Coach Setter (local)', username: `local_${botId}_bot` },
                chat: /^-/.test(chat) ? { id: Number(chat), type: 'group', title: 'Groupe' }
                    : /^@/.test(chat) ? { id: -1000000000000 - botId, type: 'channel', username: chat.slice(1) }
                    : { id: Number(chat), type: 'private', first_name: 'Coach' },
                date: message.date,
                text: message.text,
            },
        });
    });
    await new Promise((resolve) => server.listen(port, host, resolve));
    const { port: actual } = server.address();
    return {
        url: `http://${host}:${actual}`,
        messages,
        /** Telegram answers the next sendMessage of this token ('*': any) with this error. */
        fail(token, error_code, description, parameters) { failures.push({ token, answer: { error_code, description, parameters } }); },
        /** The token is revoked (@BotFather /revoke): every call answers 401 Unauthorized. */
        revoke(token) { const b = known?.get(token); if (b) b.revoked = true; },
        close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
    };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
    const arg = (name) => { const i = process.argv.indexOf(name); return i >= 0 ? process.argv[i + 1] : undefined; };
    const api = await startTelegramApi({ port: Number(arg('--port') ?? 54326), log: (line) => console.log(line) });
    // --url-file: where to write the URL (with --port 0, the port the system chose)
    if (arg('--url-file')) writeFileSync(arg('--url-file'), api.url);
    console.log(`telegram-api: a local stand-in of the Telegram Bot API on ${api.url} (messages: ${api.url}/messages)`);
}
