// @ts-check
// CSV as Excel in French opens it: UTF-8 with a byte order mark, `;` between fields, a decimal comma, CRLF line
// ends, fields quoted when they hold a separator, a quote or a line break. Text that a spreadsheet would run as a
// formula (starting with = + - @) gets a leading apostrophe. Formatting only: values are the RPC's.

export const BOM = '\uFEFF';
const SEPARATOR = ';';
const EOL = '\r\n';

/** One text field. @param {string | null | undefined} value */
export const csvText = (value) => {
    if (value == null) return '';
    let s = String(value);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[";\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
};

/** A number with a decimal comma and no thousands separator ("1234,5"), as the RPC gave it. @param {number | null | undefined} n */
export const csvNumber = (n) => (n == null || Number.isNaN(n) ? '' : String(n).replace('.', ','));

/** @type {Map<string, Intl.DateTimeFormat>} */
const dateTimeFormats = new Map();
/** "26/11/2026 14:03" in the coach's time zone, which Excel in French reads as a date. @param {string | null | undefined} iso @param {string} timeZone */
export const csvDateTime = (iso, timeZone) => {
    if (!iso) return '';
    let f = dateTimeFormats.get(timeZone);
    if (!f) {
        f = new Intl.DateTimeFormat('fr-FR', {
            timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
        });
        dateTimeFormats.set(timeZone, f);
    }
    return f.format(new Date(iso)).replace(',', '');
};

/** The whole file: BOM, header line, one line per row, each line ended by CRLF. @param {string[]} header @param {string[][]} rows */
export const toCsv = (header, rows) =>
    BOM + [header.map(csvText), ...rows].map((cells) => cells.join(SEPARATOR) + EOL).join('');

/** A file name without accents or spaces: "leads_calls-reserves_30j_2026-10-28_2026-11-26.csv". @param {string[]} parts */
export const csvFileName = (parts) =>
    `${parts
        .map((p) => p.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''))
        .filter(Boolean)
        .join('_')}.csv`;
