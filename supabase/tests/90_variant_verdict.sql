-- Variant report rules: the 95 % Wilson interval and the verdict, against values computed by hand (the formulas of
-- docs/kpis.md worked out independently), on both sides of each threshold (100 sends, 95 %).
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(24);

-- Wilson, z = 1.959964: center (r + z²/2) / (n + z²), half-width z √(r (n − r) / n + z²/4) / (n + z²)
select is((select row(w.ci_low, w.ci_high)::text from private.kpi_wilson(0, 10) as w), '(0.0,27.8)', 'Wilson 0 of 10: 0.0 to 27.8');
select is((select row(w.ci_low, w.ci_high)::text from private.kpi_wilson(5, 10) as w), '(23.7,76.3)', 'Wilson 5 of 10: 23.7 to 76.3');
select is((select row(w.ci_low, w.ci_high)::text from private.kpi_wilson(38, 63) as w), '(48.0,71.5)', 'Wilson 38 of 63: 48.0 to 71.5');
select is((select row(w.ci_low, w.ci_high)::text from private.kpi_wilson(10, 10) as w), '(72.2,100.0)', 'Wilson 10 of 10: 72.2 to 100.0');
select is((select row(w.ci_low, w.ci_high)::text from private.kpi_wilson(2, 3) as w), '(20.8,93.9)', 'Wilson 2 of 3: 20.8 to 93.9');
select is((select row(w.ci_low, w.ci_high)::text from private.kpi_wilson(0, 0) as w), '(,)', 'no send: no interval');

-- the normal distribution function
select ok(abs(private.kpi_normal_cdf(0) - 0.5) < 1e-7 and abs(private.kpi_normal_cdf(1.959964) - 0.975) < 1e-6
    and abs(private.kpi_normal_cdf(-1) - 0.158655254) < 1e-7, 'Phi(0) = 0.5, Phi(1.96) = 0.975, Phi(-1) = 0.1587');

-- the rule's numbers
select is(private.kpi_variant_verdict('[{"variant": "A", "sent": 100, "replied": 42}, {"variant": "B", "sent": 100, "replied": 30}]') - 'status' - 'best' - 'probability',
    '{"min_sent": 100, "threshold": 95}'::jsonb, 'the verdict carries its minimum sample and threshold');

-- probability threshold, 100 sends each: P(A > B) = Φ((mA − mB) / √(vA + vB)), m = (r + 1) / (n + 2), v = m (1 − m) / (n + 3)
select is(private.kpi_variant_verdict('[{"variant": "A", "sent": 100, "replied": 42}, {"variant": "B", "sent": 100, "replied": 30}]'),
    '{"status": "better", "best": "A", "probability": 96.2, "min_sent": 100, "threshold": 95}'::jsonb,
    '42 vs 30 replies of 100: A does better with a probability of 96.2 %');
select is(private.kpi_variant_verdict('[{"variant": "A", "sent": 100, "replied": 41}, {"variant": "B", "sent": 100, "replied": 30}]'),
    '{"status": "too_close", "best": null, "probability": null, "min_sent": 100, "threshold": 95}'::jsonb,
    '41 vs 30 replies of 100 (94.8 %): too close, no best shown');
select is(private.kpi_variant_verdict('[{"variant": "B", "sent": 100, "replied": 30}, {"variant": "A", "sent": 100, "replied": 42}]') ->> 'best',
    'A', 'the order of the entries does not matter');

-- minimum sample: 99 sends is not enough, whatever the gap (99.9 % at 100)
select is(private.kpi_variant_verdict('[{"variant": "A", "sent": 99, "replied": 60}, {"variant": "B", "sent": 120, "replied": 30}]'),
    '{"status": "not_enough_data", "best": null, "probability": null, "min_sent": 100, "threshold": 95}'::jsonb,
    '99 sends for A: not enough data');
select is(private.kpi_variant_verdict('[{"variant": "A", "sent": 100, "replied": 60}, {"variant": "B", "sent": 120, "replied": 30}]'),
    '{"status": "better", "best": "A", "probability": 99.9, "min_sent": 100, "threshold": 95}'::jsonb,
    '100 sends for A: better, the probability capped at 99.9 %');
select is(private.kpi_variant_verdict('[{"variant": "A", "sent": 150, "replied": 60}, {"variant": "B", "sent": 99, "replied": 10}]') ->> 'status',
    'not_enough_data', 'the weaker variant under 100 sends also blocks the verdict');

-- what is compared
select is(private.kpi_variant_verdict('[{"variant": "A", "sent": 500, "replied": 100}]') ->> 'status',
    'not_enough_data', 'one variant alone: nothing to compare');
select is(private.kpi_variant_verdict('[]') ->> 'status', 'not_enough_data', 'no send at all');
select is(private.kpi_variant_verdict('[{"variant": "A", "sent": 150, "replied": 60}, {"variant": null, "sent": 150, "replied": 30}, {"variant": "B", "sent": 150, "replied": 45}]'),
    '{"status": "better", "best": "A", "probability": 96.5, "min_sent": 100, "threshold": 95}'::jsonb,
    'two named variants: the DMs without a variant are left out (60 vs 45 of 150: 96.5 %)');
select is(private.kpi_variant_verdict('[{"variant": "A", "sent": 150, "replied": 60}, {"variant": null, "sent": 30, "replied": 3}, {"variant": "B", "sent": 150, "replied": 45}]') ->> 'status',
    'better', 'a few DMs without a variant do not block a test of two named variants');
select is(private.kpi_variant_verdict('[{"variant": "A", "sent": 150, "replied": 30}, {"variant": null, "sent": 150, "replied": 60}]'),
    '{"status": "better", "best": null, "probability": 99.9, "min_sent": 100, "threshold": 95}'::jsonb,
    'one named variant: compared with the DMs without one, which may do better (best null = sans variante)');
select is(private.kpi_variant_verdict('[{"variant": "A", "sent": 150, "replied": 60}, {"variant": null, "sent": 99, "replied": 30}]') ->> 'status',
    'not_enough_data', 'one named variant against 99 DMs without one: not enough data');

-- three variants: 1 − Σ P(other better)
select is(private.kpi_variant_verdict('[{"variant": "A", "sent": 100, "replied": 45}, {"variant": "B", "sent": 100, "replied": 30}, {"variant": "C", "sent": 100, "replied": 32}]'),
    '{"status": "better", "best": "A", "probability": 95.7, "min_sent": 100, "threshold": 95}'::jsonb,
    '45 vs 30 and 32 of 100: 1 − 1.4 % − 2.9 % = 95.7 %');
select is(private.kpi_variant_verdict('[{"variant": "A", "sent": 100, "replied": 43}, {"variant": "B", "sent": 100, "replied": 30}, {"variant": "C", "sent": 100, "replied": 31}]') ->> 'status',
    'too_close', '43 vs 30 and 31: each pair above 95 % (97.2, 96.1) but A beating both only 93.3 %: too close');
select is(private.kpi_variant_verdict('[{"variant": "A", "sent": 100, "replied": 30}, {"variant": "B", "sent": 100, "replied": 30}]') ->> 'status',
    'too_close', 'a tie is too close');
select is(private.kpi_variant_verdict('[{"variant": "A", "sent": 0, "replied": 0}, {"variant": "B", "sent": 100, "replied": 30}, {"variant": "C", "sent": 100, "replied": 42}]') ->> 'best',
    'C', 'a variant without a send is not compared');

select * from finish();
rollback;
