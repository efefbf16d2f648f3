// JSON request bodies as the gateway and PostgREST take them: the text is kept as sent (PostgreSQL parses it, so a
// number such as 17841400000000001 or 1e400 reaches the database exactly as the client wrote it), and a body nested
// deeper than MAX_JSON_DEPTH is refused before anything parses it.
export const MAX_JSON_DEPTH = 512;

/** True when the JSON text opens more than max arrays/objects at once (strings are skipped; the text may be invalid). */
export function nestedDeeperThan(text, max = MAX_JSON_DEPTH) {
    let depth = 0;
    let inString = false;
    for (let i = 0; i < text.length; i++) {
        const ch = text.charCodeAt(i);
        if (inString) {
            if (ch === 92) i++; // backslash: skip the escaped character
            else if (ch === 34) inString = false;
        } else if (ch === 34) inString = true;
        else if (ch === 91 || ch === 123) {
            if (++depth > max) return true;
        } else if (ch === 93 || ch === 125) depth--;
    }
    return false;
}
