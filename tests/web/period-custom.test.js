// The custom period of the page (issue 22): ?du=…&au=… parsed and written back, the month picks, the form's checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
    DEFAULT_PERIOD, customPeriod, dashboardHref, isDay, monthPicks, periodArgs, periodFromQuery, periodId, rangeProblem, todayIn,
} from '../../web/src/period.js';

test('?du and ?au name a custom range; anything else falls back to ?periode', () => {
    const p = periodFromQuery({ du: '2026-10-01', au: '2026-10-31' });
    assert.deepEqual([p.key, p.start, p.end, p.label], ['range', '2026-10-01', '2026-10-31', 'Personnalisé']);
    assert.equal(periodFromQuery({ du: '2026-10-31', au: '2026-10-01' }), DEFAULT_PERIOD, 'start after end');
    assert.equal(periodFromQuery({ du: '2026-02-30', au: '2026-03-01' }), DEFAULT_PERIOD, 'not a day');
    assert.equal(periodFromQuery({ du: '2026-10-01' }), DEFAULT_PERIOD, 'one date only');
    assert.equal(periodFromQuery({ du: '2026-10-01', au: 'x', periode: '7j' }).key, '7d');
    assert.equal(periodFromQuery({ du: '2026-10-05', au: '2026-10-05' }).start, '2026-10-05', 'a single day');
});

test('the URL and the RPC arguments of a custom range', () => {
    const p = customPeriod('2026-10-01', '2026-10-31');
    assert.equal(dashboardHref(p), '/dashboard?du=2026-10-01&au=2026-10-31');
    assert.equal(dashboardHref(p, 'c1'), '/dashboard?coach=c1&du=2026-10-01&au=2026-10-31');
    assert.deepEqual(periodArgs(p), { period: 'range', period_start: '2026-10-01', period_end: '2026-10-31' });
    assert.deepEqual(periodArgs(DEFAULT_PERIOD), { period: '30d' });
    assert.equal(periodId(p), 'range:2026-10-01:2026-10-31');
    assert.equal(periodId(DEFAULT_PERIOD), '30d');
});

test('Mois en cours and Mois dernier, across a year and in a leap year', () => {
    assert.deepEqual(monthPicks('2026-12-06').map((x) => [x.label, x.period.start, x.period.end]),
        [['Mois en cours', '2026-12-01', '2026-12-06'], ['Mois dernier', '2026-11-01', '2026-11-30']]);
    assert.deepEqual(monthPicks('2027-01-01').map((x) => [x.period.start, x.period.end]), [['2027-01-01', '2027-01-01'], ['2026-12-01', '2026-12-31']]);
    assert.deepEqual(monthPicks('2028-03-15')[1].period.end, '2028-02-29');
});

test('the form\'s checks, in French', () => {
    assert.equal(rangeProblem('', '2026-10-01', '2026-12-06'), 'Choisissez une date de début et une date de fin.');
    assert.equal(rangeProblem('2026-10-02', '2026-10-01', '2026-12-06'), 'La date de début doit précéder la date de fin.');
    assert.equal(rangeProblem('2026-10-01', '2026-12-07', '2026-12-06'), 'La date de fin ne peut pas être dans le futur.');
    assert.equal(rangeProblem('2026-10-01', '2026-12-06', '2026-12-06'), null);
    assert.ok(isDay('2028-02-29') && !isDay('2027-02-29') && !isDay('2026-1-01'));
});

test('today in the coach\'s time zone', () => {
    const at = new Date('2026-12-06T23:30:00Z');
    assert.equal(todayIn('Europe/Paris', at), '2026-12-07');
    assert.equal(todayIn('America/New_York', at), '2026-12-06');
});
