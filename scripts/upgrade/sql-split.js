// Splits a migration file into statements the way `supabase db push` does (supabase/cli pkg/parser): on top-level
// semicolons, outside quotes, dollar quotes and comments; each statement trimmed, its trailing semicolon dropped,
// comments before it kept. tests/legacy/upgrade-path.test.js proves it gives, for every landed migration, exactly
// the statements the CLI recorded in supabase_migrations.schema_migrations.statements.

/** @param {string} sql @returns {string[]} */
export function splitStatements(sql) {
    const out = [];
    let start = 0;
    let i = 0;
    const n = sql.length;
    while (i < n) {
        const c = sql[i];
        const next = sql[i + 1];
        if (c === '-' && next === '-') {
            const end = sql.indexOf('\n', i);
            i = end < 0 ? n : end + 1;
        } else if (c === '/' && next === '*') {
            let depth = 1;
            i += 2;
            while (i < n && depth > 0) {
                if (sql[i] === '/' && sql[i + 1] === '*') { depth++; i += 2; }
                else if (sql[i] === '*' && sql[i + 1] === '/') { depth--; i += 2; }
                else i++;
            }
        } else if (c === "'" || c === '"') {
            i++;
            while (i < n) {
                if (sql[i] === c && sql[i + 1] === c) i += 2;
                else if (sql[i] === c) { i++; break; }
                else i++;
            }
        } else if (c === '$' && /[A-Za-z_$]/.test(next ?? '') && !/[A-Za-z0-9_]/.test(sql[i - 1] ?? '')) {
            const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
            if (m) {
                const end = sql.indexOf(m[0], i + m[0].length);
                i = end < 0 ? n : end + m[0].length;
            } else i++;
        } else if (c === ';') {
            push(sql.slice(start, i));
            i++;
            start = i;
        } else i++;
    }
    push(sql.slice(start));
    return out;

    function push(text) {
        const t = text.trim();
        if (t && !isOnlyComments(t)) out.push(t);
    }
}

function isOnlyComments(text) {
    return text.split('\n').every((line) => line.trim() === '' || line.trim().startsWith('--'));
}

/** Whitespace-collapsed, comment-free, lower-case form of a statement, for matching. */
export function normalize(statement) {
    return statement
        .split('\n')
        .map((line) => line.replace(/--.*$/, ''))
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim()
        .toLowerCase();
}

// The text without -- and block comments (quotes and dollar quotes respected).
export function stripComments(text) {
    let out = '';
    let i = 0;
    while (i < text.length) {
        const c = text[i];
        if (c === '-' && text[i + 1] === '-') {
            while (i < text.length && text[i] !== '\n') i++;
        } else if (c === '/' && text[i + 1] === '*') {
            const end = text.indexOf('*/', i + 2);
            i = end < 0 ? text.length : end + 2;
        } else if (c === "'" || c === '"') {
            const start = i++;
            while (i < text.length && !(text[i] === c && text[i + 1] !== c)) i += text[i] === c ? 2 : 1;
            out += text.slice(start, ++i);
        } else if (c === '$' && /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.test(text.slice(i)) && !/[A-Za-z0-9_]/.test(text[i - 1] ?? '')) {
            const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i))[0];
            const end = text.indexOf(tag, i + tag.length);
            const stop = end < 0 ? text.length : end + tag.length;
            out += text.slice(i, stop);
            i = stop;
        } else {
            out += c;
            i++;
        }
    }
    return out;
}

/** Splits comment-free text on top-level commas (outside parentheses and quotes): the clauses of an ALTER TABLE. */
const DOLLAR = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/;

export function splitTopLevel(text) {
    const parts = [];
    let depth = 0;
    let start = 0;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === "'" || c === '"') {
            i = endOfQuote(text, i);
        } else if (c === '$' && DOLLAR.test(text.slice(i)) && !/[A-Za-z0-9_]/.test(text[i - 1] ?? '')) {
            const tag = DOLLAR.exec(text.slice(i))[0];
            const end = text.indexOf(tag, i + tag.length);
            i = end < 0 ? text.length : end + tag.length - 1;
        } else if (c === '(') depth++;
        else if (c === ')') depth--;
        else if (c === ',' && depth === 0) {
            parts.push(text.slice(start, i).trim());
            start = i + 1;
        }
    }
    parts.push(text.slice(start).trim());
    return parts.filter(Boolean);
}

function endOfQuote(text, i) {
    const q = text[i];
    let j = i + 1;
    while (j < text.length) {
        if (text[j] === q && text[j + 1] === q) j += 2;
        else if (text[j] === q) return j;
        else j++;
    }
    return text.length - 1;
}
