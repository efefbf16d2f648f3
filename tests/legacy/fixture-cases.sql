-- Legacy rows the first upgrade path lost or failed on, one per case (docs/upgrade.md, "Nothing lost"). Loaded after
-- fixture.sql into the database upgraded the documented way; 02_legacy_values_test.sql finds each original again.
-- (The database upgraded by a plain `supabase db push`, before this path existed, gets fixture.sql only: it could not
-- upgrade a lead without any timestamp.)

insert into public.coachs (id, name, specialty, email, created_at) values
    -- no name
    ('33333333-3333-4333-8333-333333333333', null, 'yoga', 'three@legacy.example', '2026-02-10 09:00+00'),
    -- a blank name, a specialty over 100 characters, no email, no creation time
    ('44444444-4444-4444-8444-444444444444', '   ', repeat('Préparation physique et ', 5), null, null);

insert into public.leads (id, coach_id, user_id_instagram, first_name, gender, lead_status, source, created_at, updated_at) values
    -- a gender outside the mapping, a status outside the mapping, no created_at
    ('bbbbbbbb-0000-4000-8000-000000000001', '33333333-3333-4333-8333-333333333333', 'cases_ig_1', 'Fanny', 'non-binaire', 'en pause', 'story', null, '2026-04-01 10:00+00'),
    -- no time at all
    ('bbbbbbbb-0000-4000-8000-000000000002', '33333333-3333-4333-8333-333333333333', 'cases_ig_2', 'Gino', 'Homme', 'perdu', 'post', null, null),
    -- no updated_at
    ('bbbbbbbb-0000-4000-8000-000000000003', '33333333-3333-4333-8333-333333333333', 'cases_ig_3', 'Hana', null, 'Qualified', 'post', '2026-04-02 10:00+00', null),
    ('bbbbbbbb-0000-4000-8000-000000000004', '44444444-4444-4444-8444-444444444444', 'cases_ig_4', 'Ivan', 'm', 'call réservé', 'keyword', '2026-04-03 10:00+00', '2026-04-06 18:00+00');

insert into public.messages (id, lead_id, coach_id, text, direction, created_at) values
    -- filed under another coach than its lead's
    ('cccccccc-0000-4000-8000-000000000001', 'bbbbbbbb-0000-4000-8000-000000000004', '33333333-3333-4333-8333-333333333333', 'Salut Ivan !', 'outbound', '2026-04-03 10:05+00'),
    ('cccccccc-0000-4000-8000-000000000002', 'bbbbbbbb-0000-4000-8000-000000000004', '44444444-4444-4444-8444-444444444444', 'Salut', 'inbound', '2026-04-03 11:00+00'),
    -- no created_at
    ('cccccccc-0000-4000-8000-000000000003', 'bbbbbbbb-0000-4000-8000-000000000004', '44444444-4444-4444-8444-444444444444', 'On s''appelle ?', 'out', null),
    -- a direction outside the mapping: the whole row leaves the table
    ('cccccccc-0000-4000-8000-000000000004', 'bbbbbbbb-0000-4000-8000-000000000004', '44444444-4444-4444-8444-444444444444', 'Rendez-vous noté', 'system', '2026-04-04 09:00+00');

insert into public.kpi_daily (id, coach_id, date, total_dms, qualified_leads, calls_proposed, calls_booked) values
    -- a null count
    ('dddddddd-0000-4000-8000-000000000001', '33333333-3333-4333-8333-333333333333', '2026-04-02', null, 1, 0, 0),
    -- the same day twice
    ('dddddddd-0000-4000-8000-000000000002', '44444444-4444-4444-8444-444444444444', '2026-04-03', 1, 0, 0, 0),
    ('dddddddd-0000-4000-8000-000000000003', '44444444-4444-4444-8444-444444444444', '2026-04-03', 2, 0, 0, 0);
