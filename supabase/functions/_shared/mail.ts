// SMTP for the edge functions (digest emails, create-coach's magic link): nodemailer over the SMTP_* settings of the
// environment (any provider; locally npm start points them at its development mail server).
//   SMTP_HOST    the server (required to send)
//   SMTP_PORT    its port (default 465 with SMTP_SECURE, else 587)
//   SMTP_USER, SMTP_PASS   the login, when the server asks for one
//   SMTP_FROM    the sender, e.g. "Coach Setter <resume@example.com>" (required to send)
//   SMTP_SECURE  true / 1: TLS from the first byte (port 465); otherwise STARTTLS when the server offers it
import nodemailer from 'nodemailer';

export type SmtpSettings = { host: string; port: number; secure: boolean; user?: string; pass?: string; from: string };

/** The SMTP settings of the environment, or the name of the first missing one. */
export function smtpSettings(env: (name: string) => string | undefined = (n) => Deno.env.get(n)): SmtpSettings | { missing: string } {
    const host = env('SMTP_HOST')?.trim();
    if (!host) return { missing: 'SMTP_HOST' };
    const from = env('SMTP_FROM')?.trim();
    if (!from) return { missing: 'SMTP_FROM' };
    const secure = /^(1|true|yes)$/i.test(env('SMTP_SECURE')?.trim() ?? '');
    const port = Number(env('SMTP_PORT')?.trim() || (secure ? 465 : 587));
    if (!Number.isInteger(port) || port < 1 || port > 65535) return { missing: 'SMTP_PORT (a port number)' };
    const user = env('SMTP_USER')?.trim() || undefined;
    return { host, port, secure, user, pass: user ? env('SMTP_PASS') ?? '' : undefined, from };
}

/** A nodemailer transport for those settings (one connection per message; timeouts so a dead server fails). */
export function smtpTransport(s: SmtpSettings) {
    return nodemailer.createTransport({
        host: s.host,
        port: s.port,
        secure: s.secure,
        auth: s.user ? { user: s.user, pass: s.pass } : undefined,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
    });
}

/** The domain of the sender's address (for Message-IDs). */
export const senderDomain = (from: string) => /@([^\s>]+)/.exec(from)?.[1] ?? 'localhost';
