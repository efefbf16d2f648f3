// The cohort CSV (issue 22): the drill-down's format, "en cours" and no rate for a window not over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cohortsCsv } from '../../web/src/cohorts-csv.js';

const rate = (num, den, value) => ({ num, den, value, low_sample: den < 5 });
const win = (complete, q, b, w, den) => ({ complete, qualified: rate(q, den, den ? Math.round((q * 1000) / den) / 10 : null), booked: rate(b, den, den ? Math.round((b * 1000) / den) / 10 : null), won: rate(w, den, den ? Math.round((w * 1000) / den) / 10 : null) });

test('one line per week; a window not over says so and gives no rate', () => {
    const csv = cohortsCsv({
        today: '2026-12-06', timezone: 'Europe/Paris', windows: [7, 14, 30],
        weeks: [
            { week_start: '2026-11-30', week_end: '2026-12-06', leads: 3, open: 3, windows: { 7: win(false, 1, 0, 0, 3), 14: win(false, 1, 0, 0, 3), 30: win(false, 1, 0, 0, 3) } },
            { week_start: '2026-10-05', week_end: '2026-10-11', leads: 8, open: 2, windows: { 7: win(true, 3, 1, 0, 8), 14: win(true, 4, 2, 1, 8), 30: win(true, 5, 3, 2, 8) } },
        ],
    });
    const lines = csv.split('\r\n');
    assert.ok(csv.startsWith('\uFEFFsemaine_debut;semaine_fin;leads;encore_ouverts;fenetre_7j;qualifies_7j;qualifies_7j_pct;calls_7j;calls_7j_pct;ventes_7j;ventes_7j_pct;fenetre_14j;'));
    assert.equal(lines[1], '2026-11-30;2026-12-06;3;3;en cours;1;;0;;0;;en cours;1;;0;;0;;en cours;1;;0;;0;');
    assert.equal(lines[2], '2026-10-05;2026-10-11;8;2;terminee;3;37,5;1;12,5;0;0;terminee;4;50;2;25;1;12,5;terminee;5;62,5;3;37,5;2;25');
    assert.equal(lines.length, 4, 'CRLF after the last line');
});
