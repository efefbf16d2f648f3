// The project's SQL style for text that PostgreSQL deparses (pg_dump, pg_get_*def): keywords and unquoted names in
// lowercase. String literals, quoted identifiers, dollar-quoted bodies and comments are kept as they are.

/** Lowercases everything outside '…', E'…', "…", $tag$…$tag$ and -- comments. */
export function lowerSql(sql) {
    let out = '';
    let i = 0;
    while (i < sql.length) {
        const c = sql[i];
        if (c === "'") {
            const end = endOfQuoted(sql, i, "'", sql[i - 1] === 'E' || sql[i - 1] === 'e');
            out += sql.slice(i, end);
            i = end;
        } else if (c === '"') {
            const end = endOfQuoted(sql, i, '"', false);
            out += sql.slice(i, end);
            i = end;
        } else if (c === '$') {
            const m = /^\$([A-Za-z_][A-Za-z_0-9]*)?\$/.exec(sql.slice(i));
            if (m && !/[A-Za-z_0-9]/.test(sql[i - 1] ?? '')) {
                const close = sql.indexOf(m[0], i + m[0].length);
                const end = close < 0 ? sql.length : close + m[0].length;
                out += sql.slice(i, end);
                i = end;
            } else {
                out += c;
                i += 1;
            }
        } else if (c === '-' && sql[i + 1] === '-') {
            const nl = sql.indexOf('\n', i);
            const end = nl < 0 ? sql.length : nl;
            out += sql.slice(i, end);
            i = end;
        } else {
            out += c.toLowerCase();
            i += 1;
        }
    }
    return out;
}

function endOfQuoted(sql, start, q, backslashEscapes) {
    let i = start + 1;
    while (i < sql.length) {
        if (backslashEscapes && sql[i] === '\\') { i += 2; continue; }
        if (sql[i] === q) {
            if (sql[i + 1] === q) { i += 2; continue; }
            return i + 1;
        }
        i += 1;
    }
    return sql.length;
}

/** A literal in single quotes. */
export const literal = (s) => `'${String(s).replaceAll("'", "''")}'`;

/** A dollar-quoted body: $$ unless the text holds $$. */
export function dollarQuote(body) {
    for (const tag of ['', 'body', 'function', 'sql']) {
        const q = `$${tag}$`;
        if (!body.includes(q)) return `${q}${body}${q}`;
    }
    throw new Error('no dollar quote fits the body');
}

/**
 * The statement that starts at `start` in `sql`, up to its closing semicolon (outside quotes, dollar quotes and
 * parentheses; a `begin atomic` body ends at `end;`).
 */
export function statementAt(sql, start) {
    let depth = 0;
    let i = start;
    while (i < sql.length) {
        const c = sql[i];
        if (c === "'" || c === '"') {
            let j = i + 1;
            while (j < sql.length) {
                if (sql[j] === c) { if (sql[j + 1] === c) { j += 2; continue; } break; }
                j += 1;
            }
            i = j + 1;
            continue;
        }
        if (c === '$') {
            const m = /^\$([A-Za-z_][A-Za-z_0-9]*)?\$/.exec(sql.slice(i));
            if (m && !/[A-Za-z_0-9]/.test(sql[i - 1] ?? '')) {
                const close = sql.indexOf(m[0], i + m[0].length);
                i = close < 0 ? sql.length : close + m[0].length;
                continue;
            }
        }
        if (c === '-' && sql[i + 1] === '-') { const nl = sql.indexOf('\n', i); i = nl < 0 ? sql.length : nl; continue; }
        if (c === '(') depth += 1;
        if (c === ')') depth -= 1;
        if (depth === 0 && /^begin atomic\b/i.test(sql.slice(i, i + 12)) && /\s/.test(sql[i - 1])) {
            const end = /\nend;/i.exec(sql.slice(i));
            return sql.slice(start, i + end.index + 5);
        }
        if (c === ';' && depth === 0) return sql.slice(start, i + 1);
        i += 1;
    }
    return sql.slice(start);
}
