-- scripts/upgrade/legacy-generate.sql: a legacy database at any size, for the upgrade bench and its tiny version in
-- npm test. LOCAL TOOLING, never a migration. Run it after scripts/upgrade/legacy-schema.sql, then call
--
--     select legacy_gen.generate(coaches, leads_per_coach, messages_per_lead, seed);   -- one coach per call is fine
--     drop schema legacy_gen cascade;                                                  -- leave only the legacy tables
--
-- The rows carry what a legacy database written by hand and by an older n8n workflow holds: lead_status and gender
-- in free text (French and English spellings, a few outside every mapping), directions spelled inbound/outbound,
-- messages without coach_id or with another coach's id, out-of-range ages, malformed emails, a coach without name,
-- rows without created_at, kpi_daily rows with null counts and duplicate days. Every "random" choice is a hash of
-- the row's key and the seed, so a given size and seed always give the same rows; times are relative to t0.

set client_min_messages = warning;

create schema if not exists legacy_gen;

-- r(key, seed): a deterministic number in [0, 1).
create or replace function legacy_gen.r(key text, seed integer)
returns double precision
language sql
immutable
parallel safe
as $$
    select (hashtextextended(key, seed) & 2147483647)::double precision / 2147483648.0;
$$;

-- pick(u, values): one of the values, uniformly for u in [0, 1).
create or replace function legacy_gen.pick(u double precision, choices text[])
returns text
language sql
immutable
parallel safe
as $$
    select choices[1 + floor(u * cardinality(choices))::integer];
$$;

create or replace function legacy_gen.uuid(key text)
returns uuid
language sql
immutable
parallel safe
as $$
    select md5(key)::uuid;
$$;

-- Writes coach number coach_n (1-based) with its leads, their conversations and a year of kpi_daily.
create or replace function legacy_gen.generate_coach(
    coach_n integer,
    coaches integer,
    leads_per_coach integer,
    messages_per_lead integer,
    seed integer,
    t0 timestamptz
)
returns jsonb
language plpgsql
as $$
declare
    coach uuid := legacy_gen.uuid('coach:' || seed || ':' || coach_n);
    -- the coach written before this one (the first coach has none)
    other_coach uuid := case when coach_n > 1 then legacy_gen.uuid('coach:' || seed || ':' || coach_n - 1) end;
    n_leads bigint;
    n_messages bigint;
begin
    insert into public.coachs (id, name, specialty, email, created_at)
    values (
        coach,
        -- the last coach of a run of 40 has no name, the one before no email nor creation time (legacy rows)
        case when coach_n % 40 = 0 then null else 'Coach ' || coach_n end,
        legacy_gen.pick(legacy_gen.r('specialty' || coach_n, seed), array['fitness', 'musculation', 'yoga', 'pilates', null]),
        case when coach_n % 40 = 39 then null else 'coach' || coach_n || '@legacy.example' end,
        case when coach_n % 40 = 39 then null else t0 - interval '400 days' + make_interval(days => coach_n) end
    );

    insert into public.leads (
        id, coach_id, user_id_instagram, first_name, last_name, email, age, gender, job_title, lead_status, source,
        created_at, updated_at
    )
    select
        legacy_gen.uuid(k),
        coach,
        'ig_' || seed || '_' || coach_n || '_' || i,
        legacy_gen.pick(legacy_gen.r(k || 'first', seed), array['Emma', 'Lucas', 'Léa', 'Hugo', 'Chloé', 'Louis', 'Manon', 'Nathan']),
        legacy_gen.pick(legacy_gen.r(k || 'last', seed), array['Bernard', 'Dubois', 'Thomas', 'Robert', 'Petit', null]),
        case
            when legacy_gen.r(k || 'email', seed) < 0.25 then 'lead' || coach_n || '.' || i || '@mail.example'
            when legacy_gen.r(k || 'email', seed) < 0.26 then 'pas d''email'
        end,
        case
            when legacy_gen.r(k || 'age', seed) < 0.1 then null
            when legacy_gen.r(k || 'age', seed) < 0.102 then 150
            else 18 + floor(legacy_gen.r(k || 'age2', seed) * 45)::integer
        end,
        legacy_gen.pick(legacy_gen.r(k || 'gender', seed), array[
            'female', 'female', 'Femme', 'F', 'male', 'male', 'Homme', 'H', 'm', '', null, null,
            -- outside the upgrade's mapping: become "other", their spelling kept in private.legacy_values
            case when legacy_gen.r(k || 'gender?', seed) < 0.2 then 'non-binaire' end
        ]),
        legacy_gen.pick(legacy_gen.r(k || 'job', seed), array['Infirmière', 'Développeur', 'Commercial', 'Étudiant', 'Comptable', null]),
        legacy_gen.pick(legacy_gen.r(k || 'status', seed), array[
            'Nouveau', 'nouveau', 'new', 'En discussion', 'engagé', 'contacted', 'qualifié', 'Qualified',
            'call proposé', 'call réservé', 'booked', 'gagné', 'client', 'perdu', 'lost', 'à relancer', null,
            -- outside the upgrade's mapping: become "new", kept in lead_status and in private.legacy_values
            case when legacy_gen.r(k || 'status?', seed) < 0.3 then 'en pause' end
        ]),
        legacy_gen.pick(legacy_gen.r(k || 'source', seed), array['story', 'post', 'keyword', 'dm_organique']),
        case when i % 50000 = 7 then null else created end,
        case when i % 50000 = 7 then null else created + make_interval(mins => floor(legacy_gen.r(k || 'upd', seed) * 20000)::integer) end
    from generate_series(1, leads_per_coach) as i
    cross join lateral (select 'lead:' || seed || ':' || coach_n || ':' || i as k) as key
    cross join lateral (
        select t0 - make_interval(mins => floor(legacy_gen.r(k || 'created', seed) * 525600)::integer) as created
    ) as c;
    get diagnostics n_leads = row_count;

    insert into public.messages (id, lead_id, coach_id, text, direction, created_at)
    select
        legacy_gen.uuid(mk),
        legacy_gen.uuid(lk),
        case
            when legacy_gen.r(mk || 'coach', seed) < 0.02 then null
            -- a message filed under another coach: the upgrade gives it its lead's coach, the old id is kept
            when legacy_gen.r(mk || 'coach', seed) < 0.021 then coalesce(other_coach, coach)
            else coach
        end,
        legacy_gen.pick(legacy_gen.r(mk || 'text', seed), array['Salut !', 'Ton objectif ?', 'Merci', 'Oui pourquoi pas', 'On s''appelle ?']),
        case
            when legacy_gen.r(mk || 'dir?', seed) < 0.0005 then 'system'
            when j % 2 = 1 then legacy_gen.pick(legacy_gen.r(mk || 'dir', seed), array['out', 'outbound', 'out'])
            else legacy_gen.pick(legacy_gen.r(mk || 'dir', seed), array['in', 'inbound', 'in'])
        end,
        case when (i * messages_per_lead + j) % 100000 = 11 then null
            else l.created_at + make_interval(mins => j * 7 + floor(legacy_gen.r(mk || 'at', seed) * 5)::integer) end
    from generate_series(1, leads_per_coach) as i
    cross join lateral (select 'lead:' || seed || ':' || coach_n || ':' || i as lk) as key
    join public.leads as l on l.id = legacy_gen.uuid(key.lk)
    -- 1 to 2 x messages_per_lead - 1 messages a lead, messages_per_lead on average
    cross join lateral generate_series(1,
        1 + floor((2 * messages_per_lead - 1) * legacy_gen.r(lk || 'count', seed))::integer) as j
    cross join lateral (select lk || ':m' || j as mk) as mkey
    where l.created_at is not null;
    get diagnostics n_messages = row_count;

    insert into public.kpi_daily (coach_id, date, total_dms, qualified_leads, calls_proposed, calls_booked)
    select
        coach,
        (t0 - make_interval(days => d))::date,
        case when d % 97 = 5 then null else floor(legacy_gen.r(coach_n || ':' || d || 'dms', seed) * 40)::integer end,
        floor(legacy_gen.r(coach_n || ':' || d || 'q', seed) * 5)::integer,
        floor(legacy_gen.r(coach_n || ':' || d || 'p', seed) * 3)::integer,
        floor(legacy_gen.r(coach_n || ':' || d || 'b', seed) * 2)::integer
    from generate_series(0, 364) as d
    -- a day entered twice (the upgrade keeps the latest, the other row moves whole to private.legacy_values)
    union all
    select coach, (t0 - interval '3 days')::date, 1, 0, 0, 0 where coach_n % 10 = 1;

    return jsonb_build_object('leads', n_leads, 'messages', n_messages);
end;
$$;
