// GoTrue's rate limiter (tollbooth over golang.org/x/time/rate): one token bucket per client IP, refilled at
// perFiveMinutes / 300 tokens a second, holding at most `burst` tokens (GoTrue: 30), full at first sight, forgotten
// after an hour without requests. take(ip) spends a token, or returns false: the caller then answers 429.
export function tokenBucket({ perFiveMinutes, burst = 30, idleMs = 3_600_000, now = () => Date.now() }) {
    const rate = perFiveMinutes / 300 / 1000; // tokens per millisecond
    const buckets = new Map(); // ip -> { tokens, at }
    let sinceSweep = 0;
    return {
        take(ip) {
            const t = now();
            if (++sinceSweep >= 1000) {
                sinceSweep = 0;
                for (const [k, b] of buckets) if (t - b.at > idleMs) buckets.delete(k);
            }
            const b = buckets.get(ip) ?? { tokens: burst, at: t };
            b.tokens = Math.min(burst, b.tokens + (t - b.at) * rate);
            b.at = t;
            buckets.set(ip, b);
            if (b.tokens < 1) return false;
            b.tokens -= 1;
            return true;
        },
    };
}
