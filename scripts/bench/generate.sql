-- scripts/bench/generate.sql: synthetic data for `npm run bench` (local tooling, NEVER a migration).
--
-- Installs schema `bench` in the benchmark's own throwaway database: a deterministic pseudo-random function, the
-- coaches, and bench.generate_coach(), which writes one coach's leads, status history and conversations with a few
-- set-based statements (no row-by-row loop, nothing from Node). scripts/bench/run.js calls it once per coach, each
-- call its own transaction, so a batch is one coach (~10,000 leads, ~90,000 messages at scale 1).
--
-- Every "random" choice is bench.r(key), a hash of the row's key and the seed (like supabase/seed.sql's pg_temp.r,
-- with the faster built-in hashtextextended), so a given seed and scale always give the same rows; dates are
-- relative to bench.config.t0, the time the generation started.
--
-- Distributions follow supabase/seed.sql (status, sources, gender, age, jobs, lost reasons, deal values, replies).
-- A coach's lead i is (i - 1) / base * 180 days old, base being its lead count at scale 1: growth (more leads per
-- coach, --growth) adds older history at the same rate, so the recent windows of the KPIs stay comparable.
--
-- Write paths: leads are inserted as 'new' (the trigger records the first event), the intermediate funnel events
-- are inserted into lead_status_events (its trigger stamps the call milestones of message_sequences), then one
-- update per lead sets the final status with its event time (the trigger records the last event; its from_status
-- is then set to the real previous stage). Messages go through the real statement-level trigger, which derives
-- message numbers, reply flags, lead counters and message_sequences for the whole batch at once.

set client_min_messages = warning;

create schema if not exists bench;

create table if not exists bench.config (
    id boolean primary key default true check (id),
    seed integer not null,
    t0 timestamptz not null
);

create table if not exists bench.coaches (
    n integer primary key,
    id uuid not null unique,
    email text not null,
    timezone text not null
);

-- r(key, seed): a deterministic number in [0, 1).
create or replace function bench.r(key text, seed integer)
returns double precision
language sql
immutable
parallel safe
as $$
    select (hashtextextended(key, seed) & 2147483647)::double precision / 2147483648.0;
$$;

-- pick(u, weights): 1-based index chosen by cumulative weights for u in [0, 1).
create or replace function bench.pick(u double precision, weights double precision[])
returns integer
language plpgsql
immutable
parallel safe
as $$
declare
    total double precision := 0;
    acc double precision := 0;
    w double precision;
    i integer := 0;
begin
    foreach w in array weights loop
        total := total + w;
    end loop;
    foreach w in array weights loop
        i := i + 1;
        acc := acc + w;
        if u * total < acc then
            return i;
        end if;
    end loop;
    return i;
end;
$$;

create or replace function bench.uuid(key text)
returns uuid
language sql
immutable
parallel safe
as $$
    select md5(key)::uuid;
$$;

-- Creates coaches 1..n (auth user + coachs row; coach_settings by trigger). Idempotent. Password: bench-coach-2026.
create or replace function bench.create_coaches(n integer, seed integer)
returns integer
language plpgsql
as $$
declare
    created integer;
begin
    insert into bench.config (seed, t0) values (seed, now()) on conflict (id) do nothing;

    insert into bench.coaches (n, id, email, timezone)
    select
        i,
        bench.uuid('bench-coach:' || seed || ':' || i),
        'bench-coach-' || i || '@bench.example',
        (array['Europe/Paris', 'Europe/Brussels', 'America/Montreal', 'Europe/Zurich'])
            [bench.pick(bench.r('tz:' || i, seed), array[70, 10, 15, 5])]
    from generate_series(1, n) as i
    on conflict do nothing;
    get diagnostics created = row_count;

    insert into auth.users (
        instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
        raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
        confirmation_token, recovery_token, email_change_token_new, email_change
    )
    select
        '00000000-0000-0000-0000-000000000000', c.id, 'authenticated', 'authenticated', c.email,
        -- one hash for all (bcrypt is slow on purpose); cost 6 keeps sign-in fast in the page benchmark
        (select extensions.crypt('bench-coach-2026', extensions.gen_salt('bf', 6))),
        now(), '{"provider": "email", "providers": ["email"]}'::jsonb,
        jsonb_build_object('name', 'Coach ' || c.n), now() - interval '400 days', now() - interval '400 days',
        '', '', '', ''
    from bench.coaches as c
    where not exists (select from auth.users as u where u.id = c.id);

    insert into public.coachs (id, name, specialty, email, timezone, created_at)
    select
        c.id,
        'Coach Bench ' || c.n,
        (array['fitness', 'musculation', 'yoga', 'pilates', 'nutrition'])[1 + c.n % 5],
        c.email,
        c.timezone,
        now() - interval '400 days'
    from bench.coaches as c
    where not exists (select from public.coachs as x where x.id = c.id);

    return created;
end;
$$;

-- The leads of coach p_coach with index p_from..p_to, as rows (not written): used by generate_coach and by the
-- ingestion benchmark, which sends the same kind of leads as events.
create or replace function bench.lead_rows(p_coach integer, p_from integer, p_to integer, p_base integer)
returns table (
    i integer, k text, id uuid, coach_id uuid, timezone text, user_id_instagram text, contact_id text,
    instagram_username text, first_name text, last_name text, email text, age integer, gender text,
    job_title text, source text, final_status text, peak integer, prev_status text, created_at timestamptz,
    final_at timestamptz, gap interval, time_to_action_minutes integer, lead_magnet_sent_at timestamptz,
    call_showed boolean, deal_value numeric, lost_reason text
)
language sql
stable
as $$
    with cfg as (select seed, t0 from bench.config),
    coach as (select c.id, c.timezone from bench.coaches as c where c.n = p_coach),
    keyed as (
        select g.i, p_coach || ':' || g.i as k, cfg.seed, cfg.t0, coach.id as coach_id, coach.timezone
        from generate_series(p_from, p_to) as g (i), cfg, coach
    ),
    drawn as materialized (
        select
            x.*,
            (array['new', 'engaged', 'qualified', 'call_proposed', 'call_booked', 'won', 'lost', 'relance'])
                [bench.pick(bench.r(x.k || 'status', x.seed), array[15, 22, 12, 8, 8, 10, 15, 10])] as final_status,
            (array[2, 3, 5])[bench.pick(bench.r(x.k || 'peak', x.seed), array[55, 30, 15])] as exit_peak,
            (array['Emma', 'Lucas', 'Léa', 'Hugo', 'Chloé', 'Louis', 'Manon', 'Nathan', 'Camille', 'Théo', 'Sarah',
                'Mehdi', 'Inès', 'Yanis', 'Julia', 'Adam', 'Lina', 'Raphaël', 'Zoé', 'Enzo'])
                [1 + floor(bench.r(x.k || 'first', x.seed) * 20)::int] as first_name,
            (array['Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon',
                'Laurent', 'Lefebvre', 'Michel', 'Garcia', 'David'])
                [1 + floor(bench.r(x.k || 'last', x.seed) * 15)::int] as last_name,
            -- created (i - 1) / base * 180 days ago, in the daytime of the coach's time zone
            (date_trunc('day', x.t0 at time zone x.timezone) at time zone x.timezone)
                - make_interval(days => floor((x.i - 1 + bench.r(x.k || 'day', x.seed)) * 180.0 / p_base)::int)
                + make_interval(mins => 8 * 60 + floor(bench.r(x.k || 'minute', x.seed) * 14 * 60)::int) as created_raw,
            make_interval(mins => 60 + floor(bench.r(x.k || 'gap', x.seed) * 47 * 60)::int) as gap
        from keyed as x
    ),
    shaped as materialized (
        select
            d.*,
            case when d.final_status in ('lost', 'relance') then d.exit_peak
                else public.lead_status_rank(d.final_status) end as peak,
            -- nothing in the future: a lead "created" later today moves back a day
            case when d.created_raw > d.t0 - interval '10 minutes' then d.created_raw - interval '1 day'
                else d.created_raw end as created_at
        from drawn as d
    )
    select
        s.i,
        s.k,
        bench.uuid('bench-lead:' || s.seed || ':' || s.k),
        s.coach_id,
        s.timezone,
        'bench_' || s.seed || '_' || s.k,
        'mc_' || substr(md5(s.k || 'contact'), 1, 10),
        lower(translate(s.first_name, 'éèëçïôÉ', 'eeecioe')) || '.' || lower(s.last_name) || s.i,
        s.first_name,
        s.last_name,
        case when s.final_status in ('qualified', 'call_proposed', 'call_booked', 'won')
                and bench.r(s.k || 'email', s.seed) < 0.6
            then lower(translate(s.first_name, 'éèëçïôÉ', 'eeecioe')) || '.' || lower(s.last_name) || s.i || '@mail.example'
        end,
        case when bench.r(s.k || 'age?', s.seed) < 0.9 then 19 + floor(bench.r(s.k || 'age', s.seed) * 36)::int end,
        (array['male', 'female', 'other', null])[bench.pick(bench.r(s.k || 'gender', s.seed), array[45, 47, 3, 5])],
        (array['Infirmière', 'infirmière ', 'Développeur', 'Commercial', 'Étudiant', 'Enseignante', 'Chef de projet',
            'Entrepreneur', 'Comptable', 'Kinésithérapeute', 'commercial', 'Assistante RH', null])
            [1 + floor(bench.r(s.k || 'job', s.seed) * 13)::int],
        (array['story', 'post', 'keyword', 'dm_organique'])[bench.pick(bench.r(s.k || 'source', s.seed), array[35, 20, 30, 15])],
        s.final_status,
        s.peak,
        case when s.final_status in ('lost', 'relance')
            then (array['new', 'engaged', 'qualified', 'call_proposed', 'call_booked', 'won'])[s.peak]
            else (array['new', 'new', 'engaged', 'qualified', 'call_proposed', 'call_booked'])[s.peak]
        end,
        s.created_at,
        -- stage k is reached (k - 1) gaps after creation; lost / relance one gap after the peak; never after t0
        least(s.t0 - interval '1 minute', s.created_at + s.gap * (case when s.final_status in ('lost', 'relance')
            then s.peak else s.peak - 1 end)),
        s.gap,
        case when s.final_status in ('qualified', 'call_proposed', 'call_booked', 'won')
            then 5 + floor(bench.r(s.k || 'tta', s.seed) * 600)::int end,
        case when s.final_status in ('qualified', 'call_proposed', 'call_booked', 'won')
                and bench.r(s.k || 'magnet', s.seed) < 0.75
            then least(s.t0 - interval '1 minute', s.created_at + interval '2 hours') end,
        case
            when s.final_status = 'won' then true
            when s.final_status = 'call_booked' and bench.r(s.k || 'show', s.seed) < 0.3 then false
            when s.final_status = 'call_booked' and bench.r(s.k || 'show', s.seed) < 0.6 then true
        end,
        case when s.final_status = 'won'
            then (array[497, 997, 1497, 1997])[bench.pick(bench.r(s.k || 'deal', s.seed), array[30, 40, 20, 10])]::numeric
        end,
        case when s.final_status = 'lost'
            then (array['price', 'time', 'already_tried', 'hesitation', 'other'])
                [bench.pick(bench.r(s.k || 'lost', s.seed), array[40, 25, 15, 15, 5])]
        end
    from shaped as s;
$$;

-- Stages coach p_coach's leads p_from..p_to and their conversations in temporary tables bench_leads and
-- bench_messages (nothing written to public): the setter's DMs and the lead's answers as in the seed (1-2 DMs for a
-- new lead, up to 10 the further it went; answers more likely the further it went). bench_messages also carries
-- message_number and replied_at computed the way private.sync_lead_messages does, so that the trigger finds them
-- already right and only verifies them (it still re-derives counters and sequences for the batch).
create or replace function bench.stage(p_coach integer, p_from integer, p_to integer, p_base integer)
returns void
language plpgsql
set jit = off
set client_min_messages = warning
as $$
begin
    drop table if exists pg_temp.bench_leads;
    drop table if exists pg_temp.bench_messages;

    create temporary table bench_leads as
    select * from bench.lead_rows(p_coach, p_from, p_to, p_base);

    create temporary table bench_messages as
    with cfg as (select seed, t0 from bench.config),
    conv as materialized (
        select
            l.*,
            cfg.seed,
            cfg.t0,
            -- the conversation spans from creation to the last funnel step reached (a day for new leads)
            greatest(interval '30 minutes', least(cfg.t0 - l.created_at,
                case when l.peak >= 2 then l.gap * (l.peak - 1) else interval '1 day' end)) as span,
            case when l.peak = 1 then 1 + floor(bench.r(l.k || 'count', cfg.seed) * 2)::int
                else least(10, 1 + l.peak * 2) end as outbound_count
        from pg_temp.bench_leads as l, cfg
    ),
    raw as materialized (
        select
            c.id as lead_id,
            c.coach_id,
            c.user_id_instagram,
            'b' || c.seed || '-' || c.k || '-' || n || d.direction as external_id,
            d.direction,
            case d.direction
                when 'out' then (array['Salut ! Merci pour ton message, tu cherches à atteindre quel objectif ?',
                    'Top ! Tu t''entraînes combien de fois par semaine en ce moment ?',
                    'Je t''envoie mon guide gratuit, dis-moi ce que tu en penses',
                    'On peut en parler 15 min en appel cette semaine ?',
                    'Petite relance : toujours partant(e) ?'])[1 + (n - 1) % 5]
                else (array['Perdre du poids avant l''été', 'Deux fois, mais sans programme', 'Merci, je regarde ça',
                    'Oui pourquoi pas', 'Je te redis'])[1 + (n - 1) % 5]
            end as text,
            least(c.t0 - interval '1 minute',
                c.created_at + c.span * ((n - 1)::double precision / c.outbound_count)
                    + case d.direction when 'in' then interval '7 minutes' else interval '1 minute' end) as created_at
        from conv as c
        cross join lateral generate_series(1, c.outbound_count) as n
        cross join lateral (
            select 'out' as direction
            union all
            select 'in' where c.peak >= 2
                and bench.r(c.k || ':' || n, c.seed) < case when n = 1 then 0.75 else 0.3 + 0.1 * c.peak end
        ) as d
    ),
    outbound as (
        select
            r.external_id, r.lead_id, r.created_at,
            row_number() over w as message_number,
            lead(r.created_at) over w as next_at
        from raw as r
        where r.direction = 'out'
        -- ties (messages clamped to t0) broken by id as the trigger does: ids are bench.uuid(external_id)
        window w as (partition by r.lead_id order by r.created_at, bench.uuid(r.external_id))
    ),
    replies as (
        select o.external_id, min(i.created_at) as replied_at
        from outbound as o
        join raw as i on i.lead_id = o.lead_id and i.direction = 'in' and i.created_at > o.created_at
            and (o.next_at is null or i.created_at < o.next_at)
        group by o.external_id
    )
    select r.*, o.message_number, p.replied_at
    from raw as r
    left join outbound as o on o.external_id = r.external_id
    left join replies as p on p.external_id = r.external_id;
end;
$$;

-- Writes leads p_from..p_to of coach p_coach with their status history and conversations. Returns row counts.
--
-- Fast path: with session_replication_role = replica (row triggers and foreign key checks off, for this
-- transaction only) every table is written once, with the rows the triggers would have written: leads with their
-- final status, counters and last contact; lead_status_events from creation to the final status; messages with
-- message_number / is_replied / replied_at; message_sequences with DM 1-4 and the call milestones. Going through
-- the triggers gives the same rows but costs ~12 s per 10,000-lead coach (the statement trigger rewrites each
-- batch); bench.verify_coach() re-derives a coach with the product's own private.sync_lead_messages and checks that
-- nothing changes, and the runner calls it on every run.
create or replace function bench.generate_coach(p_coach integer, p_from integer, p_to integer, p_base integer)
returns jsonb
language plpgsql
set jit = off
as $$
declare
    n_leads bigint;
    n_events bigint;
    n_messages bigint;
begin
    perform bench.stage(p_coach, p_from, p_to, p_base);
    set local session_replication_role = replica;

    insert into public.leads (
        id, coach_id, user_id_instagram, contact_id, instagram_username, first_name, last_name, email, age, gender,
        job_title, status, status_changed_at, source, created_at, time_to_action_minutes, lead_magnet_sent_at,
        call_showed, deal_value, lost_reason, total_messages_sent, total_messages_received, last_contact_at
    )
    select
        b.id, b.coach_id, b.user_id_instagram, b.contact_id, b.instagram_username, b.first_name, b.last_name,
        b.email, b.age, b.gender, b.job_title, b.final_status,
        case when b.final_status = 'new' then b.created_at else b.final_at end,
        b.source, b.created_at, b.time_to_action_minutes, b.lead_magnet_sent_at, b.call_showed, b.deal_value,
        b.lost_reason, m.sent, m.received, m.last_contact_at
    from pg_temp.bench_leads as b
    join (
        select
            x.lead_id,
            count(*) filter (where x.direction = 'out')::integer as sent,
            count(*) filter (where x.direction = 'in')::integer as received,
            max(x.created_at) as last_contact_at
        from pg_temp.bench_messages as x
        group by x.lead_id
    ) as m on m.lead_id = b.id
    order by b.created_at;
    get diagnostics n_leads = row_count;

    -- Creation, the funnel stages passed through, then the final status (lost / relance after the peak).
    create temporary table bench_events on commit drop as
    select b.id as lead_id, b.coach_id, null::text as from_status, 'new'::text as to_status, b.created_at as changed_at,
        1 as step
    from pg_temp.bench_leads as b
    union all
    select b.id, b.coach_id, x.prev, x.status, least(b.final_at, b.created_at + b.gap * (x.rank - 1)), x.rank
    from pg_temp.bench_leads as b
    cross join lateral (
        values (2, 'engaged', 'new'), (3, 'qualified', 'engaged'), (4, 'call_proposed', 'qualified'),
            (5, 'call_booked', 'call_proposed'), (6, 'won', 'call_booked')
    ) as x (rank, status, prev)
    where x.rank <= b.peak and x.status <> b.final_status
    union all
    select b.id, b.coach_id, b.prev_status, b.final_status, b.final_at, 7
    from pg_temp.bench_leads as b
    where b.final_status <> 'new';

    insert into public.lead_status_events (lead_id, coach_id, from_status, to_status, changed_at)
    select e.lead_id, e.coach_id, e.from_status, e.to_status, e.changed_at
    from pg_temp.bench_events as e
    order by e.changed_at, e.step;
    get diagnostics n_events = row_count;

    insert into public.messages (
        id, lead_id, coach_id, external_id, direction, text, created_at, message_number, is_replied, replied_at, variant
    )
    select
        bench.uuid(m.external_id), m.lead_id, m.coach_id, m.external_id, m.direction, m.text, m.created_at, m.message_number,
        m.replied_at is not null, m.replied_at,
        -- two openers split by lead (get_variant_report): DM 1 is A or B
        case when m.direction = 'out' and m.message_number = 1 then (array['A', 'B'])[1 + abs(hashtext(m.lead_id::text)) % 2] end
    from pg_temp.bench_messages as m
    order by m.created_at;
    get diagnostics n_messages = row_count;

    insert into public.message_sequences (
        lead_id, coach_id,
        msg1_sent_at, msg1_replied, msg1_replied_at, msg2_sent_at, msg2_replied, msg2_replied_at,
        msg3_sent_at, msg3_replied, msg3_replied_at, msg4_sent_at, msg4_replied, msg4_replied_at,
        call_proposed_at, call_booked_at
    )
    select
        b.id, b.coach_id,
        max(m.created_at) filter (where m.message_number = 1),
        coalesce(bool_or(m.replied_at is not null) filter (where m.message_number = 1), false),
        max(m.replied_at) filter (where m.message_number = 1),
        max(m.created_at) filter (where m.message_number = 2),
        coalesce(bool_or(m.replied_at is not null) filter (where m.message_number = 2), false),
        max(m.replied_at) filter (where m.message_number = 2),
        max(m.created_at) filter (where m.message_number = 3),
        coalesce(bool_or(m.replied_at is not null) filter (where m.message_number = 3), false),
        max(m.replied_at) filter (where m.message_number = 3),
        max(m.created_at) filter (where m.message_number = 4),
        coalesce(bool_or(m.replied_at is not null) filter (where m.message_number = 4), false),
        max(m.replied_at) filter (where m.message_number = 4),
        min(c.proposed),
        min(c.booked)
    from pg_temp.bench_leads as b
    join pg_temp.bench_messages as m on m.lead_id = b.id and m.direction = 'out' and m.message_number <= 4
    left join (
        select
            e.lead_id,
            min(e.changed_at) filter (where public.lead_status_rank(e.to_status) >= 4) as proposed,
            min(e.changed_at) filter (where public.lead_status_rank(e.to_status) >= 5) as booked
        from pg_temp.bench_events as e
        group by e.lead_id
    ) as c on c.lead_id = b.id
    group by b.id, b.coach_id;

    set local session_replication_role = origin;
    drop table pg_temp.bench_leads;
    drop table pg_temp.bench_messages;
    drop table pg_temp.bench_events;
    return jsonb_build_object('leads', n_leads, 'events', n_events, 'messages', n_messages);
end;
$$;

-- Proof that the fast path wrote what the triggers would: re-derives up to p_limit leads of coach p_coach with the
-- product's private.sync_lead_messages and compares every derived column before and after, and the call milestones
-- with the status history. Returns the number of leads checked; raises if anything differs.
create or replace function bench.verify_coach(p_coach integer, p_limit integer default 2000)
returns integer
language plpgsql
set jit = off
as $$
declare
    ids uuid[];
    before_hash text;
    after_hash text;
    bad integer;
begin
    select array_agg(l.id) into ids
    from (
        select l.id from public.leads as l
        where l.coach_id = (select c.id from bench.coaches as c where c.n = p_coach)
        order by l.id limit p_limit
    ) as l;
    if ids is null then
        return 0;
    end if;

    select md5(string_agg(x::text, ',' order by x::text)) into before_hash from (
        select m.id, m.message_number, m.is_replied, m.replied_at from public.messages as m where m.lead_id = any (ids)
        union all
        select l.id, l.total_messages_sent, l.total_messages_received > 0, l.last_contact_at
        from public.leads as l where l.id = any (ids)
    ) as x;
    select md5(string_agg(s::text, ',' order by s.lead_id)) || before_hash into before_hash
    from (select lead_id, msg1_sent_at, msg1_replied, msg1_replied_at, msg2_sent_at, msg2_replied, msg2_replied_at,
            msg3_sent_at, msg3_replied, msg3_replied_at, msg4_sent_at, msg4_replied, msg4_replied_at
          from public.message_sequences where lead_id = any (ids)) as s;

    perform private.sync_lead_messages(ids);

    select md5(string_agg(x::text, ',' order by x::text)) into after_hash from (
        select m.id, m.message_number, m.is_replied, m.replied_at from public.messages as m where m.lead_id = any (ids)
        union all
        select l.id, l.total_messages_sent, l.total_messages_received > 0, l.last_contact_at
        from public.leads as l where l.id = any (ids)
    ) as x;
    select md5(string_agg(s::text, ',' order by s.lead_id)) || after_hash into after_hash
    from (select lead_id, msg1_sent_at, msg1_replied, msg1_replied_at, msg2_sent_at, msg2_replied, msg2_replied_at,
            msg3_sent_at, msg3_replied, msg3_replied_at, msg4_sent_at, msg4_replied, msg4_replied_at
          from public.message_sequences where lead_id = any (ids)) as s;

    if before_hash is distinct from after_hash then
        raise exception 'bench: generated messages of coach % differ from what the triggers derive', p_coach;
    end if;

    select count(*) into bad
    from public.leads as l
    left join public.message_sequences as s on s.lead_id = l.id
    left join lateral (
        select
            min(e.changed_at) filter (where public.lead_status_rank(e.to_status) >= 4) as proposed,
            min(e.changed_at) filter (where public.lead_status_rank(e.to_status) >= 5) as booked,
            (array_agg(e.to_status order by e.changed_at desc, e.id desc))[1] as last_status
        from public.lead_status_events as e where e.lead_id = l.id
    ) as e on true
    where l.id = any (ids)
        and (s.call_proposed_at is distinct from e.proposed or s.call_booked_at is distinct from e.booked
            or l.status is distinct from e.last_status);
    if bad > 0 then
        raise exception 'bench: % leads of coach % have milestones or statuses that differ from their history', bad, p_coach;
    end if;
    return cardinality(ids);
end;
$$;
