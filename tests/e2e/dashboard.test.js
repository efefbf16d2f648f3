// The dashboard in a real browser against the seeded stack: each coach's numbers equal get_dashboard(period => '30d')
// run in SQL as that coach (the default period), titles come from the SQL glossary (get_kpi_definitions), a coach
// sees none of another coach's leads; sign-in errors, sign-out and redirects; /health (OK, and "En retard" when the
// upkeep stalls).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import {
    formatMinutes, formatMoney, formatNumber, formatPercent, formatRate,
} from '../../web/src/format.js';
import {
    APP_URL, COACHES, DATABASE_URL, DESKTOP, db, kpiDefinitionsInSql, openPage, periodDashboardInSql, setUp, signIn,
    signInToDashboard, tearDown, text,
} from './helpers.js';

before(setUp);
after(tearDown);

/** What the page must show: the 30-day period document of SQL and its glossary. */
const expectedDocument = async (email) => ({ d: await periodDashboardInSql(email), defs: await kpiDefinitionsInSql(email) });

test('each seeded coach sees their own numbers, equal to get_dashboard in SQL, and no other coach\'s leads', async () => {
    const { rows: leads } = await db.query(
        'select l.id::text, l.instagram_username, u.email from public.leads l join auth.users u on u.id = l.coach_id where u.email = any($1)',
        [COACHES],
    );
    for (const email of COACHES) {
        const { context, page, problems } = await openPage(DESKTOP);
        await signInToDashboard(page, email);
        const { d, defs } = await expectedDocument(email);
        assert.equal(d.has_leads, true, `${email} has seeded leads`);

        assert.equal(await text(page, '[data-testid=coach-name]'), d.coach.name);
        assert.match(await text(page, '[data-testid=last-updated]'), /^Mis à jour /);
        const sections = await page.locator('section[data-section]').evaluateAll((els) => els.map((e) => e.dataset.section));
        assert.deepEqual(sections, ['activity', 'reply_rates', 'variants', 'qualification', 'demographics', 'pipeline', 'performance', 'cohorts']);

        const cur = d.coach.currency;
        const n = (/** @type {{ value: number | null }} */ m, digits = 0) => formatNumber(m.value, digits);
        const a = d.activity;
        const q = d.qualification;
        const p = d.pipeline;
        const f = d.performance;
        const expected = {
            // the headline tiles
            'activity.new_leads': n(a.new_leads),
            'reply_rates.1.value': formatRate(d.reply_rates[0].rate),
            'qualification.calls_booked': n(q.calls_booked),
            'performance.deals_closed': n(f.deals_closed),
            'performance.revenue': formatMoney(f.revenue.value, cur),
            'performance.roi': formatRate(f.roi),
            // the sections
            'activity.messages_sent': n(a.messages_sent),
            'activity.messages_received': n(a.messages_received),
            'activity.avg_messages_per_lead': n(a.avg_messages_per_lead, 1),
            'activity.avg_time_to_action_minutes': formatMinutes(a.avg_time_to_action_minutes.value),
            ...Object.fromEntries(d.reply_rates.map((r) => [`reply_rates.${r.message_number}.value`, formatRate(r.rate)])),
            'qualification.qualified_leads': n(q.qualified_leads),
            'qualification.qualification_rate': formatRate(q.qualification_rate),
            'qualification.lead_magnets_sent': n(q.lead_magnets_sent),
            'qualification.emails_captured': n(q.emails_captured),
            'qualification.calls_proposed': n(q.calls_proposed),
            'qualification.call_booking_rate': formatRate(q.call_booking_rate),
            'qualification.call_conversion_rate': formatRate(q.call_conversion_rate),
            'demographics.men': formatRate(d.demographics.men),
            'demographics.women': formatRate(d.demographics.women),
            'demographics.other': formatRate(d.demographics.other),
            'pipeline.new_leads': formatNumber(p.new_leads),
            'pipeline.won_leads': formatNumber(p.won_leads),
            'pipeline.lost_leads': formatNumber(p.lost_leads),
            'pipeline.lost_rate': formatRate(p.lost_rate),
            'pipeline.leads_to_follow_up': formatNumber(p.leads_to_follow_up),
            'pipeline.follow_up_rate': formatRate(p.follow_up_rate),
            'performance.setter_cost': formatMoney(f.setter_cost, cur),
            'performance.acquisition_cost': formatMoney(f.acquisition_cost.value, cur),
            'performance.ai_efficiency': formatRate(f.ai_efficiency),
            'performance.speed_to_lead': f.speed_to_lead.low_sample ? 'pas assez de données' : formatMinutes(f.speed_to_lead.median_minutes),
        };
        for (const [kpi, value] of Object.entries(expected)) {
            assert.equal(await text(page, `[data-kpi="${kpi}"]`), value, `${email}: ${kpi}`);
        }
        // low samples read the same everywhere
        assert.equal(await page.locator('[data-low-sample]').evaluateAll((els) => els.filter((e) => e.textContent.trim() !== 'pas assez de données').length), 0);
        // card titles are the SQL glossary's labels (kpi_definitions.label): one source of truth
        for (const key of ['activity.messages_sent', 'qualification.qualified_leads', 'performance.revenue', 'performance.acquisition_cost']) {
            assert.equal(await text(page, `[data-testid="card-${key}"] h3`), defs[key].label, `${email}: title of ${key}`);
        }
        // the funnel's first step says what it counts
        assert.equal(await text(page, '[data-list="qualification.funnel"] [data-row=leads_contacted] span'), 'Leads contactés');
        // estimated values say so
        if (q.no_show_rate.estimated) assert.ok(await page.locator('[data-section=qualification] [data-testid=estimated]').count());
        assert.ok(await page.locator('[data-testid="card-performance.time_saved"] [data-testid=estimated]').count());
        const costMarks = await page.locator('[data-testid="card-performance.roi"] [data-testid=estimated][title^="Le coût"], [data-testid="card-performance.acquisition_cost"] [data-testid=estimated]').count();
        assert.equal(costMarks, f.setter_cost_estimated ? 2 : 0, `${email}: ROI and acquisition cost estimated while the cost is the default`);
        // revenue (and ROI, when the cost is the coach's) are estimates until Stripe payments are connected
        assert.equal(await page.locator('[data-testid="card-performance.revenue"] [data-testid=estimated]').count(), f.payments_connected ? 0 : 1,
            `${email}: revenue estimated without Stripe payments`);

        // ranked lists: same items, counts and percentages, same order; sources in French
        for (const [kpi, items] of [['activity.top_sources', a.top_sources], ['demographics.top_professions', d.demographics.top_professions]]) {
            const rows = await page.locator(`[data-list="${kpi}"] [data-row]`).evaluateAll((els) =>
                els.map((e) => [e.dataset.row, e.querySelector('[data-field=count]').textContent.trim(), e.querySelector('[data-field=percentage]').textContent.trim()]));
            assert.deepEqual(rows, items.map((i) => [i.label, formatNumber(i.lead_count), formatPercent(i.percentage)]), `${email}: ${kpi}`);
        }
        const sourceNames = await page.locator('[data-list="activity.top_sources"] [data-row] span.break-words').allInnerTexts();
        assert.ok(!sourceNames.some((x) => /_/.test(x)), `${email}: no raw source code on screen (${sourceNames})`);
        const funnel = await page.locator('[data-list="qualification.funnel"] [data-row]').evaluateAll((els) =>
            els.map((e) => [e.dataset.row, e.querySelector('[data-field=count]').textContent.trim()]));
        assert.deepEqual(funnel, q.funnel.map((x) => [x.step, formatNumber(x.count.value)]));

        // isolation: every lead on the page is this coach's; no other coach's lead id or (unshared) username shows
        const followUp = await page.locator('[data-list="pipeline.follow_up"] [data-row]').evaluateAll((els) => els.map((e) => e.dataset.row));
        // the card opens on the high-priority leads only (the others behind "Voir tout"), 10 a page at 1440 px
        assert.deepEqual(followUp, p.follow_up.filter((l) => l.priority === 'high').slice(0, 10).map((l) => l.lead_id),
            `${email}: the most urgent follow-ups first`);
        const own = new Set(leads.filter((l) => l.email === email).map((l) => l.id));
        for (const id of followUp) assert.ok(own.has(id), `${email} sees only their own leads (${id})`);
        const ownNames = new Set(leads.filter((l) => l.email === email).map((l) => l.instagram_username));
        const html = await page.content();
        for (const other of leads.filter((l) => l.email !== email)) {
            assert.ok(!html.includes(other.id), `${email} never sees lead ${other.id} of ${other.email}`);
            if (other.instagram_username && !ownNames.has(other.instagram_username)) {
                assert.ok(!html.includes(`@${other.instagram_username}<`), `${email} never sees @${other.instagram_username} of ${other.email}`);
            }
        }

        // a definition from the SQL glossary opens on a click and stays (pinned), Enter toggles it, Escape closes it
        const hint = page.locator('[data-testid="card-activity.messages_sent"] button[aria-label^="Définition"]');
        await hint.click();
        assert.match(await text(page, '[data-testid="card-activity.messages_sent"] [data-testid=definition]'), new RegExp(defs['activity.messages_sent'].label));
        await page.mouse.move(0, 0);
        assert.equal(await page.locator('[data-testid=definition]').count(), 1, 'still open when the mouse leaves');
        await hint.click();
        assert.equal(await page.locator('[data-testid=definition]').count(), 0, 'a second click closes it');
        await hint.focus();
        await page.keyboard.press('Enter');
        assert.equal(await page.locator('[data-testid=definition]').count(), 1, 'Enter opens it');
        await page.keyboard.press('Escape');
        assert.equal(await page.locator('[data-testid=definition]').count(), 0, 'Escape closes it');

        assert.deepEqual(problems, [], `${email}: no console error or failed request`);
        await context.close();
    }
});

test('a wrong password shows the error in French and stays on /login', async () => {
    const { context, page, problems } = await openPage();
    await signIn(page, COACHES[0], 'not-the-password');
    assert.equal(await text(page, '[data-testid=login-error]'), 'Email ou mot de passe incorrect.');
    assert.equal(new URL(page.url()).pathname, '/login');
    // the only error is the refused sign-in itself (400 from /auth/v1/token, which Chromium also logs)
    assert.deepEqual(problems.filter((p) => !/auth\/v1\/token|status of 400/.test(p)), []);
    assert.ok(problems.some((p) => /HTTP 400: POST .*\/auth\/v1\/token/.test(p)));
    // an empty form is refused in French before anything is sent
    await page.fill('input[name=password]', '');
    await page.click('form[data-testid=login-form] button[type=submit]');
    assert.equal(await text(page, '[data-testid=login-error]'), 'Indiquez votre email et votre mot de passe.');
    await context.close();
});

test('without a session, / /dashboard /settings and /admin go to /login; sign-out returns there; a coach is kept out of /admin', async () => {
    const { context, page, problems } = await openPage();
    for (const path of ['/', '/dashboard', '/settings', '/admin']) {
        await page.goto(`${APP_URL}${path}`);
        await page.waitForURL(`${APP_URL}/login`);
    }
    await signInToDashboard(page, COACHES[1]);
    await page.goto(`${APP_URL}/admin`);
    await page.waitForURL(`${APP_URL}/dashboard`);
    await page.waitForSelector('[data-section=performance]');
    // ?coach= is an admin's: a coach asking for another coach still gets its own dashboard
    const { rows: [julie] } = await db.query("select id from public.coachs where email = 'julie@example.com'");
    await page.goto(`${APP_URL}/dashboard?coach=${julie.id}`);
    await page.waitForSelector('[data-section=performance]');
    assert.equal(await text(page, '[data-testid=coach-name]'), 'Karim Benali');
    await page.click('[data-testid=sign-out]');
    await page.waitForURL(`${APP_URL}/login`);
    await page.goto(`${APP_URL}/dashboard`);
    await page.waitForURL(`${APP_URL}/login`);
    assert.deepEqual(problems, []);
    await context.close();
});

test('/health is public and shows what health() returns, in French', async () => {
    const { context, page, problems } = await openPage();
    // loaded directly, as a person or a health check would: 200 and the page
    const response = await page.goto(`${APP_URL}/health`);
    assert.equal(response?.status(), 200);
    await page.waitForSelector('[data-testid=health-data]');
    // pg_cron's kpi-upkeep runs in the test stack: its last pass is seconds old, so health() says ok
    const { rows: [{ h }] } = await db.query('select public.health() as h');
    assert.equal(h.ok, true, `the upkeep's last pass is fresh (${h.kpi_upkeep_age_seconds} s)`);
    assert.equal(await text(page, '[data-testid=health-status]'), 'OK');
    for (const key of Object.keys(h)) assert.equal(await page.locator(`[data-testid=health-data] [data-key="${key}"]`).count(), 1, key);
    assert.equal(await text(page, '[data-key=database] dd'), 'disponible');
    assert.equal(await text(page, '[data-key=ok] dd'), 'oui');
    assert.match(await text(page, '[data-key=kpi_upkeep_age_seconds] dd'), /^\d+ s$/);
    assert.match(await text(page, '[data-key=kpi_upkeep_last_pass_at] dt'), /^Chiffres mis à jour le$/);

    // the upkeep stopped for two minutes (its lock held here, so pg_cron's passes wait): "En retard", not "Erreur"
    const stall = new pg.Client({ connectionString: DATABASE_URL });
    await stall.connect();
    try {
        await stall.query('select pg_advisory_lock(private.kpi_upkeep_lock())');
        await stall.query("update private.kpi_upkeep_state set last_pass_at = now() - interval '2 minutes'");
        await page.reload();
        await page.waitForSelector('[data-testid=health-data]');
        assert.equal(await text(page, '[data-testid=health-status]'), 'En retard');
        assert.equal(await text(page, '[data-key=ok] dd'), 'non, en retard');
        assert.equal(await text(page, '[data-key=database] dd'), 'disponible');
        const age = Number((await text(page, '[data-key=kpi_upkeep_age_seconds] dd')).replace(/\D/g, ''));
        assert.ok(age >= 120 && age < 180, `the age says how late: ${age} s`);
    } finally {
        await stall.query('select pg_advisory_unlock(private.kpi_upkeep_lock())');
        await stall.query('select private.kpi_upkeep()'); // fresh again for the next tests
        await stall.end();
    }
    assert.deepEqual(problems, []);
    await context.close();
});
