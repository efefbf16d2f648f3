// One base per screen (issue #18): wherever two numbers on the dashboard look like the same thing, they are the same
// number, or each says what it counts and the two say different things. Every such pair is read from the page (the
// seeded coaches, 30 and 7 days) and checked; the numbers themselves are SQL's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { formatNumber } from '../../web/src/format.js';
import { APP_URL, COACHES, DESKTOP, openPage, periodDashboardInSql, setUp, signInToDashboard, tearDown } from './helpers.js';

before(setUp);
after(tearDown);

/** Pairs that must show the same number: the same thing on the same base, in two places. */
const SAME = [
    ['[data-testid=headline] [data-kpi="activity.new_leads"]', '[data-kpi="trend.total:new_leads"]', 'new leads: tile and trend'],
    ['[data-testid=headline] [data-kpi="qualification.calls_booked"]', '[data-kpi="trend.total:calls_booked"]', 'calls booked: tile and trend'],
    ['[data-testid=headline] [data-kpi="performance.revenue"]', '[data-kpi="trend.total:revenue"]', 'revenue: tile and trend'],
    ['[data-testid=headline] [data-kpi="reply_rates.1.value"]', '[data-section=reply_rates] [data-kpi="reply_rates.1.value"]', 'DM 1 reply rate: tile and section'],
    ['[data-testid=headline] [data-kpi="reply_rates.1.den"]', '[data-kpi="qualification.funnel:leads_contacted"]', 'leads who got DM 1 = leads contacted'],
    ['[data-kpi="qualification.funnel:calls_proposed"]', '[data-kpi="qualification.call_booking_rate.den"]', 'calls proposed: funnel and call conversion'],
    ['[data-kpi="qualification.funnel:calls_booked"]', '[data-kpi="qualification.call_booking_rate.num"]', 'calls booked: funnel and booking rate'],
    ['[data-kpi="qualification.funnel:calls_booked"]', '[data-kpi="qualification.call_conversion_rate.den"]', 'calls booked: funnel and conversion rate'],
    ['[data-kpi="activity.messages_sent"]', '[data-kpi="performance.time_saved.messages"]', 'messages sent: activity and time saved'],
];
/** Pairs that look alike but count different things: each must say its base, and the two bases must differ. */
const BASED = [
    ['[data-testid=headline] [data-kpi="qualification.calls_booked"]', '[data-kpi="qualification.funnel:calls_booked"]', 'calls booked: tile and funnel'],
    ['[data-testid=card-qualification\\.qualified_leads] [data-kpi="qualification.qualified_leads"]', '[data-kpi="qualification.funnel:qualified"]', 'qualified: card and funnel'],
    ['[data-testid=card-qualification\\.calls_proposed] [data-kpi="qualification.calls_proposed"]', '[data-kpi="qualification.funnel:calls_proposed"]', 'calls proposed: card and funnel'],
    ['[data-testid=headline] [data-kpi="performance.deals_closed"]', '[data-kpi="qualification.call_conversion_rate.num"]', 'deals: tile and call conversion'],
    ['[data-testid=headline] [data-kpi="performance.deals_closed"]', '[data-kpi="pipeline.won_leads"]', 'deals: tile and pipeline'],
];

/** The number an element shows, its base (the nearest [data-base]) and that base's caption as shown. */
const read = (page, selector) => page.locator(selector).first().evaluate((e) => {
    const base = e.closest('[data-base]');
    const caption = base?.querySelector('[data-base-caption]');
    return {
        text: e.textContent.trim(),
        base: base?.getAttribute('data-base') ?? null,
        caption: caption?.textContent.trim() ?? null,
        captionVisible: !!caption && caption.getClientRects().length > 0 && getComputedStyle(caption).visibility !== 'hidden',
    };
});

for (const [email, param, key] of [[COACHES[0], '', '30d'], [COACHES[0], '7j', '7d'], [COACHES[1], '', '30d']]) {
    test(`${email}, ${key}: look-alike numbers are equal or say their different bases`, async () => {
        const { context, page, problems } = await openPage(DESKTOP);
        await signInToDashboard(page, email);
        if (param) await page.goto(`${APP_URL}/dashboard?periode=${param}`);
        await page.waitForSelector('[data-section=performance]');
        await page.waitForFunction(() => document.querySelector('main')?.getAttribute('aria-busy') === 'false');
        const d = await periodDashboardInSql(email, key);

        for (const [a, b, what] of SAME) {
            const [x, y] = [await read(page, a), await read(page, b)];
            assert.equal(x.text, y.text, `${what}: the same number`);
        }
        // and the sources' counts, in the top 3 and in the quality table, source by source
        for (const s of d.activity.top_sources) {
            const [x, y] = [await read(page, `[data-kpi="activity.top_sources:${s.label}"]`),
                await read(page, `[data-kpi="performance.lead_quality_by_source:${s.label}"]`)];
            assert.equal(x.text, y.text, `source ${s.label}: top 3 and quality table`);
        }
        for (const [a, b, what] of BASED) {
            const [x, y] = [await read(page, a), await read(page, b)];
            assert.ok(x.base && y.base && x.captionVisible && y.captionVisible, `${what}: each says its base (${JSON.stringify([x, y])})`);
            assert.notEqual(x.base, y.base, `${what}: two different bases`);
            assert.notEqual(x.caption, y.caption, `${what}: two different captions`);
        }
        // the pairs of the issue, with SQL's numbers: what differs is said
        assert.equal((await read(page, BASED[0][0])).text, formatNumber(d.qualification.calls_booked.value));
        assert.equal((await read(page, BASED[0][1])).text, formatNumber(d.qualification.funnel.find((s) => s.step === 'calls_booked').count.value));
        assert.equal((await read(page, BASED[3][1])).text, formatNumber(d.qualification.call_conversion_rate.num));
        assert.equal((await read(page, BASED[0][0])).caption, 'Pendant la période');
        assert.equal((await read(page, BASED[0][1])).caption, 'Parmi les leads contactés pendant la période, à ce jour');
        // the call conversion's sentence, as rendered (its spaces kept: "période :22", "proposés,8" before)
        const c = d.qualification;
        assert.equal((await page.innerText('[data-testid=call-rates-basis]')).replace(/\s+/g, ' '),
            `Parmi les leads contactés pendant la période, à ce jour : ${formatNumber(c.call_booking_rate.num)} calls réservés sur `
            + `${formatNumber(c.call_booking_rate.den)} proposés, ${formatNumber(c.call_conversion_rate.num)} gagnés sur `
            + `${formatNumber(c.call_conversion_rate.den)} calls réservés.`);
        // the follow-up list's badge (high priority) and the pipeline's count (all): the summary says how they add up
        const { high } = d.pipeline.follow_up_counts;
        const others = d.pipeline.leads_to_follow_up - high;
        assert.equal((await page.textContent('[data-testid=follow-up-count]')).trim(), `${formatNumber(high)} en priorité haute`);
        assert.ok((await page.innerText('[data-testid=follow-up-summary]')).startsWith(
            `${formatNumber(high)} en priorité haute, ${formatNumber(others)} autre${others > 1 ? 's' : ''} à relancer.`));
        assert.equal(await page.textContent('[data-kpi="pipeline.leads_to_follow_up"]'), formatNumber(d.pipeline.leads_to_follow_up));
        assert.deepEqual(problems, []);
        await context.close();
    });
}
