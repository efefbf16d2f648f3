-- Rows of a database as it stood before this project, with the free-text values, nulls and inconsistencies the
-- upgrade must handle. Loaded after scripts/upgrade/legacy-schema.sql (the brief's legacy tables); the legacy
-- upgrade tests upgrade it the documented way (docs/upgrade.md) and check that nothing was lost.

insert into public.coachs (id, name, specialty, email, created_at) values
    ('11111111-1111-4111-8111-111111111111', 'Legacy Coach One', 'fitness', 'one@legacy.example', '2026-01-10 09:00+00'),
    ('22222222-2222-4222-8222-222222222222', 'Legacy Coach Two', null, 'two@legacy.example', '2026-02-01 09:00+00');

insert into public.leads (id, coach_id, user_id_instagram, first_name, email, age, gender, job_title, lead_status, source, created_at, updated_at) values
    ('aaaaaaaa-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111', 'legacy_ig_1', 'Anna', null, 31, 'Femme', 'Infirmière', 'Nouveau', 'story', '2026-03-01 10:00+00', '2026-03-01 10:00+00'),
    ('aaaaaaaa-0000-4000-8000-000000000002', '11111111-1111-4111-8111-111111111111', 'legacy_ig_2', 'Bruno', 'bruno@mail.example', 44, 'H', 'Comptable', 'qualifié', 'post', '2026-03-02 10:00+00', '2026-03-05 12:00+00'),
    ('aaaaaaaa-0000-4000-8000-000000000003', '11111111-1111-4111-8111-111111111111', 'legacy_ig_3', 'Carla', null, 150, 'female', null, 'won', 'keyword', '2026-03-03 10:00+00', '2026-03-09 12:00+00'),
    ('aaaaaaaa-0000-4000-8000-000000000004', '22222222-2222-4222-8222-222222222222', 'legacy_ig_4', 'Dan', null, null, '', 'Étudiant', 'perdu', 'story', '2026-03-04 10:00+00', '2026-03-04 10:00+00'),
    ('aaaaaaaa-0000-4000-8000-000000000005', '22222222-2222-4222-8222-222222222222', 'legacy_ig_5', 'Eve', null, 27, null, null, null, null, '2026-03-05 10:00+00', '2026-03-05 10:00+00');

-- Messages: a missing coach_id and the legacy direction words the migration must normalize.
insert into public.messages (lead_id, coach_id, text, direction, created_at) values
    ('aaaaaaaa-0000-4000-8000-000000000002', '11111111-1111-4111-8111-111111111111', 'Salut !', 'outbound', '2026-03-02 10:01+00'),
    ('aaaaaaaa-0000-4000-8000-000000000002', null, 'Hello', 'inbound', '2026-03-02 10:20+00'),
    ('aaaaaaaa-0000-4000-8000-000000000002', '11111111-1111-4111-8111-111111111111', 'Ton objectif ?', 'out', '2026-03-02 10:30+00'),
    ('aaaaaaaa-0000-4000-8000-000000000002', '11111111-1111-4111-8111-111111111111', 'Relance', 'out', '2026-03-04 10:30+00'),
    ('aaaaaaaa-0000-4000-8000-000000000003', '11111111-1111-4111-8111-111111111111', 'Salut !', 'out', '2026-03-03 10:01+00'),
    ('aaaaaaaa-0000-4000-8000-000000000003', '11111111-1111-4111-8111-111111111111', 'Merci', 'in', '2026-03-03 11:00+00');

insert into public.kpi_daily (coach_id, date, total_dms, qualified_leads, calls_proposed, calls_booked) values
    ('11111111-1111-4111-8111-111111111111', '2026-03-02', 3, 1, 0, 0),
    ('11111111-1111-4111-8111-111111111111', '2026-03-03', 2, 0, 1, 1),
    ('22222222-2222-4222-8222-222222222222', '2026-03-04', 0, 0, 0, 0);
