-- search_leads by actor: a coach finds its own leads by first or last name, @handle or email, case- and
-- accent-insensitive with partial words; nobody finds another coach's; admins search any coach, read-only; the
-- search text follows every change of a lead; exact errors.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(26);
\ir helpers/auth.psql
\ir helpers/outcomes.psql

select tests.create_coach('search-a@example.com') as a \gset
select tests.create_coach('search-b@example.com') as b \gset
select tests.create_user('search-admin@example.com', '{"role": "admin"}') as admin \gset

-- coach A: five leads; the most recently active first among equals
select tests.outcome_lead(:'a', 'zoe.martin', 'Zoé', 'Martin', 'zoe.martin@mail.fr', now() - interval '1 day') as zoe \gset
select tests.outcome_lead(:'a', 'zozo_fit', 'ZOE', 'Durand', null, now() - interval '2 days') as zozo \gset
select tests.outcome_lead(:'a', 'chloe.zoellner', 'Chloé', 'Zoëllner', null, now() - interval '3 days') as chloe \gset
select tests.outcome_lead(:'a', 'axb.coach', 'Axb', null, 'hello@axb.io', now() - interval '4 days') as axb \gset
select tests.outcome_lead(:'a', 'no.name', null, null, null, now() - interval '5 days') as noname \gset
-- coach B: a Zoé of its own
select tests.outcome_lead(:'b', 'zoe.bernard', 'Zoé', 'Bernard', null) as zoe_b \gset

-- anon
select tests.authenticate_as_anon();
select throws_ok($$select * from public.search_leads('zoé')$$, '42501', 'permission denied for function search_leads',
    'anon cannot search');

-- coach A
select tests.authenticate_as(:'a');
select results_eq($$select lead_id from public.search_leads('zoé')$$,
    array[:'zoe'::uuid, :'zozo'::uuid, :'chloe'::uuid],
    '"zoé" finds Zoé Martin, ZOE Durand and Chloé Zoëllner (a word starting with it first, then the most recent)');
select results_eq($$select lead_id from public.search_leads('ZOE')$$, $$select lead_id from public.search_leads('zoé')$$,
    'case and accents do not matter');
select results_eq($$select lead_id from public.search_leads('zoe mar')$$, array[:'zoe'::uuid],
    'several words: each a part of the name, in order');
select results_eq($$select lead_id from public.search_leads('  Zoé   Martin ')$$, array[:'zoe'::uuid],
    'the first and last name as typed, spaces around them ignored');
select results_eq($$select lead_id from public.search_leads('@zozo')$$, array[:'zozo'::uuid], 'an @handle');
select results_eq($$select lead_id from public.search_leads('oellner')$$, array[:'chloe'::uuid],
    'a part in the middle of a name (ë folded to e)');
select results_eq($$select lead_id from public.search_leads('martin@mail')$$, array[:'zoe'::uuid], 'part of an email');
select results_eq($$select lead_id from public.search_leads('o_f')$$, array[:'zozo'::uuid],
    '_ is a character, not a wildcard: "o_f" finds zozo_fit');
select is((select count(*)::int from public.search_leads('a_b')), 0, '"a_b" does not find "axb"');
select is((select count(*)::int from public.search_leads('50%')), 0, '% is a character, not a wildcard');
select is((select count(*)::int from public.search_leads('   ')), 0, 'a query without a word finds nothing');
select is((select count(*)::int from public.search_leads('@')), 0, 'an @ alone finds nothing');
select results_eq($$select lead_id from public.search_leads('zoé', max_rows => 1)$$, array[:'zoe'::uuid],
    'max_rows cuts the list');
select is((select array[first_name, last_name, instagram_username, email, status] from public.search_leads('zoe.martin')),
    array['Zoé', 'Martin', 'zoe.martin', 'zoe.martin@mail.fr', 'new'], 'a row carries the names, handle, email and status');
select throws_ok(format('select * from public.search_leads(%L, %L)', 'zoé', :'b'), '42501',
    'permission denied: a coach can only read its own dashboard', 'coach A cannot search coach B''s leads');
select throws_ok($$select * from public.search_leads('zoé', max_rows => 0)$$, '22023',
    'invalid field "max_rows": must be 1 to 100', 'max_rows 0 is refused');
select throws_ok(format('select * from public.search_leads(%L)', repeat('z', 201)), '22023',
    'invalid field "query": must be a text of at most 200 characters', 'a query over 200 characters is refused');

-- the search text follows the lead (n8n renames it)
select tests.clear_authentication();
update public.leads set last_name = 'Lefèvre' where id = :'zoe';
select tests.authenticate_as(:'a');
select results_eq($$select lead_id from public.search_leads('lefevre')$$, array[:'zoe'::uuid], 'found by its new name');
select is((select count(*)::int from public.search_leads('martin')), 1, 'and by its old name only through its email');

-- coach B
select tests.authenticate_as(:'b');
select results_eq($$select lead_id from public.search_leads('zoé')$$, array[:'zoe_b'::uuid], 'coach B finds only its own Zoé');

-- admin: any coach, with its id
select tests.authenticate_as(:'admin');
select results_eq(format('select lead_id from public.search_leads(%L, %L, 2)', 'zoé', :'a'), array[:'zoe'::uuid, :'zozo'::uuid],
    'an admin searches coach A''s leads');
select throws_ok($$select * from public.search_leads('zoé')$$, 'PT404', 'coach not found',
    'an admin without a coach row must name the coach');

-- service role
select tests.authenticate_as_service_role();
select results_eq(format('select lead_id from public.search_leads(%L, %L)', 'bernard', :'b'), array[:'zoe_b'::uuid],
    'the service role searches any coach');
select throws_ok($$select * from public.search_leads('zoé')$$, '22004',
    'coach_id is required: sign in as a coach or pass a coach id', 'the service role must name the coach');

-- the search reads a trigram index (btree_gin gives the coach its own entries)
select tests.clear_authentication();
select is((select indexdef like '%USING gin (coach_id, search_text %gin_trgm_ops)' from pg_indexes
           where schemaname = 'private' and indexname = 'lead_search_coach_id_search_text_idx'), true,
    'private.lead_search has its trigram index on (coach_id, search_text)');

select * from finish();
rollback;
