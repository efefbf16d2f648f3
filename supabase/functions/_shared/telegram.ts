// The Telegram Bot API's sendMessage (https://core.telegram.org/bots/api#sendmessage), over fetch: Telegram has no
// official JavaScript SDK, and one method is all the functions need.
//   TELEGRAM_API_URL  the API's base URL (default https://api.telegram.org; tests point it at a local server that
//                     answers as Telegram does, local-supabase/telegram-api.js)
// Telegram answers {ok: true, result: Message} or {ok: false, error_code, description, parameters?: {retry_after}}.

export type TelegramResult =
    | { ok: true; message_id: number }
    | { ok: false; error_code: number | null; description: string; retry_after: number | null };

export const BOT_TOKEN_RE = /^[0-9]{1,20}:[A-Za-z0-9_-]{20,100}$/;
export const CHAT_ID_RE = /^(-?[0-9]{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31})$/;

export function telegramApiUrl(): string {
    return (Deno.env.get('TELEGRAM_API_URL')?.trim() || 'https://api.telegram.org').replace(/\/+$/, '');
}

/** Sends a plain-text message (no parse_mode, no link preview); never throws: a network error has error_code null. */
export async function sendMessage(token: string, chatId: string, text: string, timeoutMs = 10_000): Promise<TelegramResult> {
    let res: Response;
    try {
        res = await fetch(`${telegramApiUrl()}/bot${token}/sendMessage`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ chat_id: chatId, text, link_preview_options: { is_disabled: true } }),
            signal: AbortSignal.timeout(timeoutMs),
        });
    } catch (e) {
        return { ok: false, error_code: null, description: e instanceof Error ? e.message : String(e), retry_after: null };
    }
    let body: { ok?: boolean; result?: { message_id?: number }; error_code?: number; description?: string; parameters?: { retry_after?: number } } = {};
    try {
        body = await res.json();
    } catch {
        // not Telegram's JSON (a proxy's error page): the HTTP status says enough
    }
    if (body.ok === true && typeof body.result?.message_id === 'number') return { ok: true, message_id: body.result.message_id };
    return {
        ok: false,
        error_code: typeof body.error_code === 'number' ? body.error_code : res.status,
        description: typeof body.description === 'string' ? body.description : `HTTP ${res.status} ${res.statusText}`.trim(),
        retry_after: typeof body.parameters?.retry_after === 'number' ? body.parameters.retry_after : null,
    };
}
