// @ts-check
// The cohort table as CSV (issue 22), in the drill-down's format (csv.js): one line per week, for each window the
// counts and the rates as get_cohorts returns them; a window not over yet says "en cours" and gives no rate.
import { csvNumber, csvText, toCsv } from './csv.js';

/** @typedef {import('./dashboard-types').Cohorts} Cohorts */

const STEPS = /** @type {const} */ ([['qualified', 'qualifies'], ['booked', 'calls'], ['won', 'ventes']]);

/** @param {Cohorts} c */
export const cohortsCsv = (c) => {
    const header = ['semaine_debut', 'semaine_fin', 'leads', 'encore_ouverts'];
    for (const days of c.windows) {
        header.push(`fenetre_${days}j`);
        for (const [, name] of STEPS) header.push(`${name}_${days}j`, `${name}_${days}j_pct`);
    }
    const rows = c.weeks.map((w) => {
        const cells = [csvText(w.week_start), csvText(w.week_end), csvNumber(w.leads), csvNumber(w.open)];
        for (const days of c.windows) {
            const win = w.windows[String(days)];
            cells.push(csvText(win.complete ? 'terminee' : 'en cours'));
            for (const [key] of STEPS) {
                const rate = win[key];
                cells.push(csvNumber(rate.num), win.complete ? csvNumber(rate.value) : '');
            }
        }
        return cells;
    });
    return toCsv(header, rows);
};
