// supabase/config.toml, read as the Supabase CLI reads it for `supabase start`: the settings the stand-in honours.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';

/** The parsed supabase/config.toml of the project at root ({} when there is none). */
export function readSupabaseConfig(root) {
    const file = join(root, 'supabase/config.toml');
    return existsSync(file) ? parse(readFileSync(file, 'utf8')) : {};
}

/**
 * GoTrue's per-IP limits from [auth.rate_limit], as the CLI maps them (token_refresh -> GOTRUE_RATE_LIMIT_TOKEN_REFRESH,
 * token_verifications -> GOTRUE_RATE_LIMIT_VERIFY, sign_in_sign_ups -> GOTRUE_RATE_LIMIT_OTP): each is a number of
 * requests per 5 minutes, enforced by GoTrue as a token bucket refilled at n / 300 per second with a burst of 30.
 * GoTrue's own environment variables, when set, win over config.toml, as they do for GoTrue.
 */
export function authRateLimits(config, env = {}) {
    const r = config.auth?.rate_limit ?? {};
    return {
        token: Number(env.GOTRUE_RATE_LIMIT_TOKEN_REFRESH ?? r.token_refresh ?? 150),
        verify: Number(env.GOTRUE_RATE_LIMIT_VERIFY ?? r.token_verifications ?? 30),
        otp: Number(env.GOTRUE_RATE_LIMIT_OTP ?? r.sign_in_sign_ups ?? 30),
    };
}

/** [functions.<name>] verify_jwt (default true, as the gateway). */
export const verifyJwt = (config, name) => config.functions?.[name]?.verify_jwt !== false;
