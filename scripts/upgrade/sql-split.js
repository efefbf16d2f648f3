// Splits a migration file into statements exactly as `supabase db push` does: a port of the Supabase CLI's tokenizer
// (supabase/cli pkg/parser, state.go and token.go, MIT), its quirks included: a statement ends at a `;` outside
// quotes, dollar quotes, comments, parentheses and BEGIN ATOMIC ... END bodies; each is cut there, its trailing
// semicolons dropped, trimmed; empty ones are skipped. tests/upgrade/upgrade.test.js proves it gives, for every
// migration, exactly the statements the CLI recorded in supabase_migrations.schema_migrations.statements.

const isIdentifierChar = (c) => c !== undefined && /[\p{L}\p{N}_$]/u.test(c);

// Each state's next(c, t) gets the character just read and the token so far (t.sql.slice(t.start, t.end)); it returns
// the next state, or null to end the statement there.
class Ready {
    next(c, t) {
        switch (c) {
            case '$': return new Tag(t.end - 1);
            case "'": case '"': return new Quote(c);
            case '-': return new LineComment();
            case '/': return new Block();
            case '\\': return new Escape();
            case ';': return null;
            case '(': return new Atomic(this, ')');
            case 'c': case 'C': return isBeginAtomic(t) ? new Atomic(this, 'END') : this;
            default: return this;
        }
    }
}

function isBeginAtomic(t) {
    const data = t.sql.slice(t.start, t.end);
    let offset = data.length - 'ATOMIC'.length;
    if (offset < 0 || data.slice(offset).toUpperCase() !== 'ATOMIC') return false;
    if (offset > 0 && isIdentifierChar(data[offset - 1])) return false;
    const prefix = data.slice(0, offset).trimEnd();
    offset = prefix.length - 'BEGIN'.length;
    if (offset < 0 || prefix.slice(offset).toUpperCase() !== 'BEGIN') return false;
    return offset === 0 || !isIdentifierChar(prefix[offset - 1]);
}

const tail = (t, n) => t.sql.slice(Math.max(t.start, t.end - n), t.end);

class LineComment {
    next(c, t) {
        // `--`: up to the end of the line, nothing escaped; a lone `-` was not a comment
        return c === '-' ? new Dollar('\n') : new Ready().next(c, t);
    }
}

class Block {
    depth = 0;
    next(c, t) {
        const w = tail(t, 2);
        if (w === '/*') { this.depth++; return this; }
        if (this.depth === 0) return new Ready().next(c, t);
        if (w === '*/' && --this.depth === 0) return new Ready();
        return this;
    }
}

class Quote {
    escape = false;
    constructor(delimiter) { this.delimiter = delimiter; }
    next(c, t) {
        if (this.escape) {
            if (c === this.delimiter) { this.escape = false; return this; } // a doubled quote
            return new Ready().next(c, t);
        }
        if (c === this.delimiter) this.escape = true;
        return this;
    }
}

class Dollar {
    constructor(delimiter) { this.delimiter = delimiter; }
    next(c, t) { return tail(t, this.delimiter.length) === this.delimiter ? new Ready() : this; }
}

class Tag {
    constructor(offset) { this.offset = offset; }
    next(c, t) {
        if (c === '$') return new Dollar(t.sql.slice(this.offset, t.end));
        if (/[\p{L}\p{N}_]/u.test(c)) return this;
        return new Ready().next(c, t);
    }
}

class Escape {
    next() { return new Ready(); }
}

class Atomic {
    constructor(prev, delimiter) { this.prev = prev; this.delimiter = delimiter; }
    next(c, t) {
        const curr = this.prev.next(c, t);
        if (curr !== null) this.prev = curr;
        if (this.prev instanceof Ready && tail(t, this.delimiter.length).toUpperCase() === this.delimiter.toUpperCase()) return new Ready();
        return this;
    }
}

/** @param {string} sql @returns {string[]} */
export function splitStatements(sql) {
    const out = [];
    const push = (token) => {
        const trimmed = token.replace(/;+$/, '').trim();
        if (trimmed) out.push(trimmed);
    };
    let state = new Ready();
    const t = { sql, start: 0, end: 0 };
    for (const c of sql) {
        t.end += c.length;
        state = state.next(c, t);
        if (state === null) {
            push(sql.slice(t.start, t.end));
            t.start = t.end;
            state = new Ready();
        }
    }
    if (t.start < sql.length) push(sql.slice(t.start));
    return out;
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
