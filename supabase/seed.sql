-- Seed: deterministic demo data for local development and tests (`supabase db reset` runs it after the migrations).
--
-- Accounts (password sign-in):
--   admin@example.com   admin-demo-2026   app_metadata.role = admin
--   julie@example.com   coach-demo-2026   coach Julie Martin (fitness, Europe/Paris), 300 leads, growing
--   karim@example.com   coach-demo-2026   coach Karim Benali (musculation, Europe/Paris), 80 leads, flat
--   sophie@example.com  coach-demo-2026   coach Sophie Laurent (yoga, America/Montreal), 45 leads, recovering after a dip
-- and a legacy coach without an account (lucas@example.com, 12 leads) that create-coach can invite.
--
-- About 120 days of history ending now, whenever the seed runs: leads arrive by the hour of each coach's own local
-- days (fewer in the night, fewer on Saturdays and far fewer on Sundays, a trend per coach), and each lead lives a
-- plausible journey from its first DM: the DM 1-4 sequence while it does not answer, a conversation, qualification,
-- a lead magnet, a call proposed then booked, the call, a deal or a follow-up ("relance") and a loss. A step that
-- would happen after now has not happened yet: the lead is still open, where its journey has reached.
--
-- Set-based and repeatable: every random choice is a random() drawn after setseed(), in a fixed order, or a point of
-- an evenly spread sequence (pg_temp.spread), so two loads at the same time of day give the same data. Nothing is written that real data would not write: leads are inserted
-- as new, their statuses change one step at a time with the event's time, and the messages go in as n8n would send
-- them, so the triggers derive the status history, message numbers, reply flags, counters and sequences.
--
-- Sections (each a concern; add yours as a new section before "Derived data"):
--   1. Guard            5. Lead journeys (seed_journeys: each step's time, planned)
--   2. Accounts         6. Leads and their status history (public.leads, through the triggers)
--   3. Coaches          7. Messages (seed_messages, then public.messages)
--   4. Lead arrivals    8. Derived data (KPI facts and documents, materialized view)
-- The seed_* temporary tables live until the end of the session: later sections may read them.
--
-- Never in production: the seed refuses to run (and changes nothing) when the database holds a coach, a lead or a
-- user it did not create itself, e.g. after `supabase db push --include-seed` onto a real project. One transaction:
-- psql without ON_ERROR_STOP, `supabase db reset` and `db push --include-seed` all stop at the refusal.

begin;

-- ---------------------------------------------------------------------------------------------------------------
-- 1. Guard
-- ---------------------------------------------------------------------------------------------------------------

do $$
declare
    seed_coach_ids constant uuid[] := array[
        'c0000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-000000000002',
        'c0000000-0000-4000-8000-000000000003', 'c0000000-0000-4000-8000-000000000004'
    ]::uuid[];
    seed_user_ids constant uuid[] := array[
        'a0000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-000000000001',
        'c0000000-0000-4000-8000-000000000002', 'c0000000-0000-4000-8000-000000000003'
    ]::uuid[];
    coach_count bigint;
    lead_count bigint;
    user_count bigint;
    example text;
begin
    select count(*), min(coalesce(c.email, c.name, c.id::text)) into coach_count, example
    from public.coachs as c where c.id <> all (seed_coach_ids);
    select count(*) into lead_count from public.leads as l where l.coach_id <> all (seed_coach_ids);
    select count(*), coalesce(example, min(u.email)) into user_count, example
    from auth.users as u where u.id <> all (seed_user_ids);
    if coach_count + lead_count + user_count > 0 then
        raise exception using
            errcode = 'P0001',
            message = format('supabase/seed.sql refused to run: this database holds %s coach(es), %s lead(s) and %s user(s) '
                'that the seed did not create (e.g. %s); nothing was changed', coach_count, lead_count, user_count, example),
            hint = 'The seed writes demo accounts with published passwords (admin@example.com / admin-demo-2026). Load it '
                'only into a local or throwaway database (npm run db:reset, supabase db reset), never with '
                'supabase db push --include-seed onto a real project.';
    end if;
end;
$$;

-- Interval arithmetic in UTC (a day is 24 hours); local days and hours are computed in each coach's time zone.
set local timezone = 'UTC';

-- ---------------------------------------------------------------------------------------------------------------
-- 2. Accounts
-- ---------------------------------------------------------------------------------------------------------------

-- Users, inserted the way Supabase's own seeds do (GoTrue expects empty strings, not nulls, in the token columns).
insert into auth.users (
    instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
    raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
    confirmation_token, recovery_token, email_change_token_new, email_change
)
select
    '00000000-0000-0000-0000-000000000000',
    u.id,
    'authenticated',
    'authenticated',
    u.email,
    extensions.crypt(u.password, extensions.gen_salt('bf', 10)),
    now(),
    u.app_meta,
    u.user_meta,
    now() - interval '130 days',
    now() - interval '130 days',
    '', '', '', ''
from (values
    ('a0000000-0000-4000-8000-000000000001'::uuid, 'admin@example.com', 'admin-demo-2026',
        '{"provider": "email", "providers": ["email"], "role": "admin"}'::jsonb, '{"name": "Admin"}'::jsonb),
    ('c0000000-0000-4000-8000-000000000001'::uuid, 'julie@example.com', 'coach-demo-2026',
        '{"provider": "email", "providers": ["email"]}'::jsonb, '{"name": "Julie Martin"}'::jsonb),
    ('c0000000-0000-4000-8000-000000000002'::uuid, 'karim@example.com', 'coach-demo-2026',
        '{"provider": "email", "providers": ["email"]}'::jsonb, '{"name": "Karim Benali"}'::jsonb),
    ('c0000000-0000-4000-8000-000000000003'::uuid, 'sophie@example.com', 'coach-demo-2026',
        '{"provider": "email", "providers": ["email"]}'::jsonb, '{"name": "Sophie Laurent"}'::jsonb)
) as u (id, email, password, app_meta, user_meta);

insert into auth.identities (id, provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
select
    gen_random_uuid(),
    u.id::text,
    u.id,
    jsonb_build_object('sub', u.id::text, 'email', u.email, 'email_verified', true),
    'email',
    now(),
    now(),
    now()
from auth.users as u
where u.email in ('admin@example.com', 'julie@example.com', 'karim@example.com', 'sophie@example.com');

-- ---------------------------------------------------------------------------------------------------------------
-- 3. Coaches, and what shapes each one's history
-- ---------------------------------------------------------------------------------------------------------------

insert into public.coachs (id, name, specialty, email, timezone, created_at)
values
    ('c0000000-0000-4000-8000-000000000001', 'Julie Martin', 'fitness', 'julie@example.com', 'Europe/Paris', now() - interval '130 days'),
    ('c0000000-0000-4000-8000-000000000002', 'Karim Benali', 'musculation', 'karim@example.com', 'Europe/Paris', now() - interval '128 days'),
    ('c0000000-0000-4000-8000-000000000003', 'Sophie Laurent', 'yoga', 'sophie@example.com', 'America/Montreal', now() - interval '126 days'),
    ('c0000000-0000-4000-8000-000000000004', 'Lucas Petit', 'pilates', 'lucas@example.com', 'Europe/Paris', now() - interval '140 days');

-- One row per coach. leads: how many; trend: the shape of arrivals over the history (pg_temp.trend); reply: weights of
-- the first answer coming after DM 1, 2, 3, 4 or never; peak: weights of how far a lead that answered goes (engaged
-- only, qualified, call proposed, call booked); each as it was 120 days ago (_then) and as it is now (_now), in
-- between for the leads in between (the growing coach also converts better); show_rate: booked calls attended;
-- win_then / win_now: attended calls that close; deal_values / deal_weights: the coach's offers.
create temporary table seed_coaches as
select
    v.coach_no, v.coach_id, c.timezone, v.leads, v.trend, v.reply_then, v.reply_now, v.peak_then, v.peak_now,
    v.show_rate, v.win_then, v.win_now, v.deal_values, v.deal_weights
from (values
    (1, 'c0000000-0000-4000-8000-000000000001'::uuid, 300, 'growing',
        array[52, 13, 6, 3, 26], array[64, 12, 5, 3, 16], array[40, 22, 12, 26], array[28, 18, 14, 40],
        0.82, 0.50, 0.70, array[497, 997, 1497, 1997], array[30, 40, 20, 10]),
    (2, 'c0000000-0000-4000-8000-000000000002'::uuid, 80, 'flat',
        array[55, 12, 6, 3, 24], array[55, 12, 6, 3, 24], array[36, 22, 12, 30], array[36, 22, 12, 30],
        0.78, 0.55, 0.55, array[297, 597, 997], array[35, 45, 20]),
    (3, 'c0000000-0000-4000-8000-000000000003'::uuid, 45, 'recovering',
        array[58, 12, 6, 3, 21], array[58, 12, 6, 3, 21], array[34, 22, 12, 32], array[34, 22, 12, 32],
        0.85, 0.60, 0.60, array[197, 397, 697], array[30, 50, 20]),
    (4, 'c0000000-0000-4000-8000-000000000004'::uuid, 12, 'flat',
        array[55, 12, 6, 3, 24], array[55, 12, 6, 3, 24], array[30, 20, 12, 38], array[30, 20, 12, 38],
        0.80, 0.60, 0.60, array[390, 790], array[60, 40])
) as v (coach_no, coach_id, leads, trend, reply_then, reply_now, peak_then, peak_now, show_rate, win_then, win_now,
    deal_values, deal_weights)
join public.coachs as c on c.id = v.coach_id;

-- The last instant anything happens: a minute before the seed runs, to the second (nothing is in the future, and
-- millisecond clients such as n8n and the replay test see the same times).
create function pg_temp.cutoff()
returns timestamptz
language sql
stable
as $$
    select date_trunc('second', now()) - interval '1 minute';
$$;

-- Relative arrival rate of a coach's leads, days_ago days before today (0 = today, 119 = the first day).
create function pg_temp.trend(kind text, days_ago integer)
returns double precision
language sql
immutable
as $$
    select case kind
        -- from 1 to 4 leads a day for each one 120 days ago
        when 'growing' then 1 + 3 * (1 - days_ago / 119.0)
        -- a dip around 55 days ago (down to a quarter), then back, a little above where it was
        when 'recovering' then 1 - 0.75 * exp(-power((days_ago - 55) / 14.0, 2)) + 0.3 * greatest(0, (30 - days_ago) / 30.0)
        else 1
    end;
$$;

-- Relative arrival rate by local day of the week (ISO: 1 = Monday) and local hour.
create function pg_temp.rhythm(isodow integer, hour integer)
returns double precision
language sql
immutable
as $$
    select (array[1.15, 1.1, 1.05, 1.0, 0.95, 0.75, 0.45])[isodow]
        * (array[0.3, 0.15, 0.08, 0.05, 0.05, 0.1, 0.3, 0.6, 0.8, 0.9, 0.9, 1.0,
                 1.3, 1.2, 0.9, 0.8, 0.9, 1.1, 1.4, 1.6, 1.8, 1.7, 1.2, 0.7])[hour + 1];
$$;

-- pick(u, weights): the 1-based index that u in [0, 1) falls on when the weights are laid end to end.
create function pg_temp.pick(u double precision, weights double precision[])
returns integer
language sql
immutable
as $$
    select coalesce(min(i), cardinality(weights))
    from generate_subscripts(weights, 1) as i
    where u * (select sum(w) from unnest(weights) as w) < (select sum(w) from unnest(weights[1:i]) as w);
$$;

-- between(then, now, at): values (weights, rates) as they were 120 days before the cutoff (then) and at the cutoff
-- (now), as they were at time at (linearly in between).
create function pg_temp.between(then_weights double precision[], now_weights double precision[], at timestamptz)
returns double precision[]
language sql
stable
as $$
    select array_agg(t + (n - t) * greatest(0, 1 - extract(epoch from pg_temp.cutoff() - at) / (120 * 86400)) order by i)
    from unnest(then_weights, now_weights) with ordinality as x (t, n, i);
$$;

-- r(key): a number in [0, 1) from a hash of a text key: a choice that follows an identity (a lead's A/B branch, as
-- a ManyChat Randomizer makes it), whatever else the seed draws.
create function pg_temp.r(key text)
returns double precision
language sql
immutable
as $$
    select ('x' || left(md5(key), 8))::bit(32)::bigint / 4294967296.0;
$$;

-- spread(i, alpha, coach_no): the i-th point of a Weyl sequence (i times an irrational, modulo 1), for the draws that
-- decide outcomes: any run of consecutive leads gets its expected share of answers, calls and deals (give or take
-- one), so a month shows the coach's trend rather than the luck of the draw. Another alpha per draw keeps them
-- independent; the coach shifts the start.
create function pg_temp.spread(i integer, alpha double precision, coach_no integer)
returns double precision
language sql
immutable
as $$
    select (i * alpha + coach_no * 0.5772156649) - floor(i * alpha + coach_no * 0.5772156649);
$$;

-- wait(u, shortest, longest): a delay between the two, log-uniform (short waits are as likely as long ones, per
-- order of magnitude), to the second.
create function pg_temp.wait(u double precision, shortest interval, longest interval)
returns interval
language sql
immutable
as $$
    select make_interval(secs => round(extract(epoch from shortest)
        * power(extract(epoch from longest) / extract(epoch from shortest), u)));
$$;

-- The setter's scheduled messages (follow-ups, relances) wait for Monday when they fall on the coach's Sunday.
create function pg_temp.not_sunday(at timestamptz, zone text)
returns timestamptz
language sql
immutable
as $$
    select case when extract(isodow from at at time zone zone) = 7 then at + interval '1 day' else at end;
$$;

select setseed(0.24);

-- ---------------------------------------------------------------------------------------------------------------
-- 4. Lead arrivals
-- ---------------------------------------------------------------------------------------------------------------

-- Every local hour of the last 120 days of each coach, up to the cutoff, weighted by trend and rhythm; the
-- running sum of the weights lays the hours end to end on [0, 1).
create temporary table seed_hours as
with hours as (
    select
        c.coach_no,
        d.days_ago,
        h.hour,
        ((now() at time zone c.timezone)::date - d.days_ago + make_interval(hours => h.hour)) at time zone c.timezone
            as starts_at,
        pg_temp.trend(c.trend, d.days_ago)
            * pg_temp.rhythm(extract(isodow from (now() at time zone c.timezone)::date - d.days_ago)::integer, h.hour)
            as rate
    from seed_coaches as c
    cross join generate_series(0, 119) as d (days_ago)
    cross join generate_series(0, 23) as h (hour)
),
elapsed as (
    -- the current hour counts for the part of it already past
    select h.*, least(h.starts_at + interval '1 hour', pg_temp.cutoff()) as ends_at
    from hours as h
    where h.starts_at < pg_temp.cutoff()
),
weighted as (
    select e.*, e.rate * extract(epoch from e.ends_at - e.starts_at) / 3600 as weight
    from elapsed as e
),
laid as (
    select
        w.coach_no,
        w.days_ago,
        w.hour,
        w.starts_at,
        w.ends_at,
        sum(w.weight) over running / sum(w.weight) over coach as upper_bound,
        row_number() over running = count(*) over coach as is_last
    from weighted as w
    window
        coach as (partition by w.coach_no),
        running as (partition by w.coach_no order by w.days_ago desc, w.hour rows unbounded preceding)
)
select
    l.coach_no, l.starts_at, l.ends_at,
    -- each hour starts exactly where the one before ends: every point of [0, 1) is in one hour
    coalesce(lag(l.upper_bound) over (partition by l.coach_no order by l.days_ago desc, l.hour), 0) as lower_bound,
    l.upper_bound,
    l.is_last
from laid as l;

-- Each lead's random draws, taken once in a fixed order (coach, then lead number), then its arrival: lead i of n falls
-- at a random point of the i-th n-th of [0, 1) (so each stretch of time gets its expected share of leads, give or
-- take one), on the hour that point falls on, at the same fraction of that hour.
create temporary table seed_leads as
with draws as (
    select
        k.coach_no, k.i,
        (k.i - 1 + random()) / k.leads as u_arrival, random() as u_source, random() as u_gender, random() as u_age, random() as u_job,
        random() as u_first, random() as u_last, random() as u_email, random() as u_deal,
        pg_temp.spread(k.i, 0.6180339887, k.coach_no) as u_reply, random() as u_reply_wait, random() as u_dm1,
        pg_temp.spread(k.i, 0.4142135624, k.coach_no) as u_peak,
        random() as u_pairs, random() as u_span, random() as u_magnet, random() as u_proposal_pairs,
        random() as u_proposal_span, random() as u_booking_wait, random() as u_call_day, random() as u_call_hour,
        pg_temp.spread(k.i, 0.7320508076, k.coach_no) as u_show, pg_temp.spread(k.i, 0.7182818285, k.coach_no) as u_win,
        random() as u_win_wait, random() as u_relance, random() as u_decline,
        random() as u_decline_wait, random() as u_reason, random() as u_silence
    from (
        select c.coach_no, c.leads, i
        from seed_coaches as c
        cross join generate_series(1, c.leads) as i
        order by c.coach_no, i
    ) as k
)
select
    d.*,
    c.coach_id,
    c.timezone,
    d.coach_no || '-' || d.i as key,
    date_trunc('second',
        h.starts_at + (h.ends_at - h.starts_at) * ((d.u_arrival - h.lower_bound) / (h.upper_bound - h.lower_bound)))
        as created_at
from draws as d
join seed_coaches as c on c.coach_no = d.coach_no
join seed_hours as h
    on h.coach_no = d.coach_no and d.u_arrival >= h.lower_bound and (d.u_arrival < h.upper_bound or h.is_last);

-- ---------------------------------------------------------------------------------------------------------------
-- 5. Lead journeys: when each step would happen (planned, some after now)
-- ---------------------------------------------------------------------------------------------------------------
--
-- DM 1 goes a minute or two after the lead appears (after its own first message for dm_organique leads); while the
-- lead does not answer, DM 2, 3 and 4 follow 1, 2 and 3 days apart. A lead that answers (engaged) talks with the
-- setter (a few question/answer pairs); it may then be qualified (lead magnet), be proposed a call, book it, attend
-- it and buy. A lead that stops gets a relance (3 to 6 days later; 5 to 8 after a call proposed; the next day after a
-- missed call, 2 days after an attended one), then declines (a reason) or stays silent (lost without a reason 2 to 3
-- weeks later); a lead that never answers the sequence is lost 10 to 14 days after DM 4.
-- Step times are when the setter records them: a minute after the message behind them.
-- Each step is a CTE `materialized`: inlined, PostgreSQL would copy every earlier step's expressions into each later
-- one and evaluate them again (the statement took seconds instead of milliseconds; the rows are the same).

create temporary table seed_journeys as
with sequence as materialized (
    select
        l.*,
        case when l.source = 'dm_organique' then l.created_at end as first_message_at,
        pg_temp.pick(l.u_reply, pg_temp.between(c.reply_then, c.reply_now, l.created_at)) as answers_dm, -- 5: never
        pg_temp.pick(l.u_peak, pg_temp.between(c.peak_then, c.peak_now, l.created_at)) + 1 as peak_rank, -- 2 engaged .. 5 call_booked
        l.created_at + pg_temp.wait(l.u_dm1, interval '1 minute', interval '3 minutes') as dm1_at
    from (
        select s.*,
            (array['story', 'post', 'keyword', 'dm_organique'])[pg_temp.pick(s.u_source, array[35, 20, 30, 15])] as source
        from seed_leads as s
    ) as l
    join seed_coaches as c on c.coach_no = l.coach_no
),
follow_ups as materialized (
    select s.*,
        pg_temp.not_sunday(s.dm1_at + interval '23 hours' + pg_temp.wait(s.u_dm1, interval '1 minute', interval '2 hours'), s.timezone) as dm2_at
    from sequence as s
),
follow_ups_2 as materialized (
    select f.*, pg_temp.not_sunday(f.dm2_at + interval '2 days', f.timezone) as dm3_at
    from follow_ups as f
),
follow_ups_3 as materialized (
    select f.*, pg_temp.not_sunday(f.dm3_at + interval '3 days', f.timezone) as dm4_at
    from follow_ups_2 as f
),
answered as materialized (
    select f.*,
        (array[f.dm1_at, f.dm2_at, f.dm3_at, f.dm4_at])[f.answers_dm]
            + pg_temp.wait(f.u_reply_wait, interval '2 minutes', interval '8 hours') as reply_at
    from follow_ups_3 as f
),
talked as materialized (
    -- the conversation after the answer: question/answer pairs up to the lead's qualifying answer (or its last one)
    select a.*,
        case when a.peak_rank >= 3 then 2 + floor(a.u_pairs * 3)::integer else 1 + floor(a.u_pairs * 3)::integer end
            as talk_pairs,
        a.reply_at + case when a.peak_rank >= 3
            then pg_temp.wait(a.u_span, interval '40 minutes', interval '2 days')
            else pg_temp.wait(a.u_span, interval '20 minutes', interval '1 day') end as talk_ends_at
    from answered as a
),
proposed as materialized (
    select t.*,
        floor(t.u_proposal_pairs * 3)::integer as proposal_pairs,
        t.talk_ends_at + interval '5 minutes'
            + pg_temp.wait(t.u_proposal_span, interval '10 minutes', interval '2 days') as proposal_at
    from talked as t
),
booked as materialized (
    select p.*,
        p.proposal_at + pg_temp.wait(p.u_booking_wait, interval '5 minutes', interval '3 days') as booking_message_at
    from proposed as p
),
called as materialized (
    -- the call: 1 to 5 local days after the booking, on the hour or half past, 9:00 to 19:30, never on a Sunday
    select b.*,
        pg_temp.not_sunday(
            ((b.booking_message_at at time zone b.timezone)::date + 1 + floor(b.u_call_day * 5)::integer
                + make_interval(mins => 540 + 30 * floor(b.u_call_hour * 22)::integer)) at time zone b.timezone,
            b.timezone) as call_at,
        b.u_show < c.show_rate as showed,
        b.u_show < c.show_rate and b.u_win < (pg_temp.between(array[c.win_then], array[c.win_now], b.created_at))[1] as wins,
        (c.deal_values)[pg_temp.pick(b.u_deal, c.deal_weights)]::numeric as deal
    from booked as b
    join seed_coaches as c on c.coach_no = b.coach_no
),
stopped as materialized (
    -- where a lead that does not buy stops (its last message, or the call it missed or attended), and its relance
    select c.*,
        case
            when c.answers_dm = 5 then null
            when c.peak_rank = 2 then c.talk_ends_at
            when c.peak_rank = 3 then c.talk_ends_at
            when c.peak_rank = 4 then c.proposal_at
            when not c.wins then c.call_at
        end as stopped_at
    from called as c
),
relanced as materialized (
    select s.*,
        pg_temp.not_sunday(s.stopped_at
            + case
                when s.peak_rank = 5 and not s.showed then interval '1 day' -- a missed call: the next day
                when s.peak_rank = 5 then interval '2 days' -- attended, no decision
                when s.peak_rank = 4 then interval '5 days' -- a call proposed, no answer: time to find a slot
                else interval '3 days'
            end
            + pg_temp.wait(s.u_relance, interval '1 hour', interval '3 days'), s.timezone) as relance_message_at
    from stopped as s
)
select
    r.coach_no, r.i, r.key, r.coach_id, r.timezone, r.created_at, r.source, r.first_message_at,
    r.answers_dm, r.peak_rank, r.talk_pairs, r.proposal_pairs, r.showed, r.wins, r.deal,
    r.dm1_at,
    case when r.answers_dm >= 2 then r.dm2_at end as dm2_at,
    case when r.answers_dm >= 3 then r.dm3_at end as dm3_at,
    case when r.answers_dm >= 4 then r.dm4_at end as dm4_at,
    case when r.answers_dm <= 4 then r.reply_at end as reply_at,
    case when r.answers_dm <= 4 then r.talk_ends_at end as talk_ends_at,
    case when r.answers_dm <= 4 and r.peak_rank >= 3 and r.u_magnet < 0.7
        then r.talk_ends_at + interval '3 minutes' end as lead_magnet_at,
    case when r.answers_dm <= 4 and r.peak_rank >= 4 then r.proposal_at end as proposal_at,
    case when r.answers_dm <= 4 and r.peak_rank >= 5 then r.booking_message_at end as booking_message_at,
    case when r.answers_dm <= 4 and r.peak_rank >= 5 then r.call_at end as call_at,
    case when r.answers_dm <= 4 and r.peak_rank >= 5 and r.wins
        then r.call_at + pg_temp.wait(r.u_win_wait, interval '30 minutes', interval '90 minutes') end as won_at,
    r.relance_message_at,
    -- after the relance: a declining answer (lost with its reason), or silence (lost without one)
    case when r.relance_message_at is not null and r.u_decline < 0.45
        then r.relance_message_at + pg_temp.wait(r.u_decline_wait, interval '30 minutes', interval '3 days') end
        as decline_message_at,
    case when r.relance_message_at is not null and r.u_decline < 0.45
        then (array['price', 'time', 'already_tried', 'hesitation', 'other'])[pg_temp.pick(r.u_reason, array[40, 25, 15, 15, 5])]
        end as lost_reason,
    case
        when r.answers_dm = 5 then r.dm4_at + interval '10 days' + pg_temp.wait(r.u_silence, interval '1 hour', interval '4 days')
        when r.relance_message_at is not null and r.u_decline >= 0.45
            then r.relance_message_at + interval '14 days' + pg_temp.wait(r.u_silence, interval '1 hour', interval '7 days')
    end as silent_loss_at
from relanced as r;

-- The status steps of each lead, in time order (new is its creation); a step after the cutoff has not happened yet.
create temporary table seed_steps as
select j.key, s.step, s.status, s.at
from seed_journeys as j
cross join lateral (values
    (1, 'engaged', j.reply_at + interval '1 minute'),
    (2, 'qualified', case when j.peak_rank >= 3 then j.talk_ends_at + interval '1 minute' end),
    (3, 'call_proposed', j.proposal_at + interval '1 minute'),
    (4, 'call_booked', j.booking_message_at + interval '1 minute'),
    (5, 'won', j.won_at),
    (6, 'relance', j.relance_message_at + interval '1 minute'),
    (7, 'lost', coalesce(j.decline_message_at + interval '1 minute', j.silent_loss_at))
) as s (step, status, at)
where s.at <= pg_temp.cutoff();

-- ---------------------------------------------------------------------------------------------------------------
-- 6. Leads and their status history
-- ---------------------------------------------------------------------------------------------------------------

-- A lead's columns as they are now: only what has happened by the cutoff (call outcome, deal, lead magnet, email).
insert into public.leads (
    coach_id, user_id_instagram, contact_id, instagram_username, first_name, last_name, email, age, gender,
    job_title, status, source, created_at, time_to_action_minutes, lead_magnet_sent_at, call_showed, deal_value,
    lost_reason
)
select
    j.coach_id,
    'ig_' || substr(md5(j.key), 1, 12),
    'mc_' || substr(md5(j.key || 'contact'), 1, 10),
    lower(translate(p.first_name, 'éèëçïôÉ', 'eeecioe')) || '.' || lower(p.last_name) || (j.i % 97),
    p.first_name,
    p.last_name,
    case when q.at is not null and l.u_email < 0.6
        then lower(translate(p.first_name, 'éèëçïôÉ', 'eeecioe')) || '.' || lower(p.last_name) || j.i || '@mail.example'
    end,
    case when l.u_age < 0.9 then 19 + floor(l.u_age / 0.9 * 36)::integer end,
    (array['male', 'female', 'other', null])[pg_temp.pick(l.u_gender, array[45, 47, 3, 5])],
    (array['Infirmière', 'infirmière ', 'Développeur', 'Commercial', 'Étudiant', 'Enseignante', 'Chef de projet',
        'Entrepreneur', 'Comptable', 'Kinésithérapeute', 'commercial', 'Assistante RH', null])
        [1 + floor(l.u_job * 13)::integer],
    'new',
    j.source,
    j.created_at,
    -- minutes from the first contact to the qualifying answer
    case when q.at is not null then round(extract(epoch from j.talk_ends_at - j.created_at) / 60)::integer end,
    case when j.lead_magnet_at <= pg_temp.cutoff() then j.lead_magnet_at end,
    case when j.call_at <= pg_temp.cutoff() then j.showed end,
    case when w.at is not null then j.deal end,
    case when lost.at is not null then j.lost_reason end
from seed_journeys as j
join seed_leads as l on l.key = j.key
cross join lateral (
    select
        (array['Emma', 'Lucas', 'Léa', 'Hugo', 'Chloé', 'Louis', 'Manon', 'Nathan', 'Camille', 'Théo', 'Sarah', 'Mehdi',
            'Inès', 'Yanis', 'Julia', 'Adam', 'Lina', 'Raphaël', 'Zoé', 'Enzo'])[1 + floor(l.u_first * 20)::integer]
            as first_name,
        (array['Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon',
            'Laurent', 'Lefebvre', 'Michel', 'Garcia', 'David'])[1 + floor(l.u_last * 15)::integer] as last_name
) as p
left join seed_steps as q on q.key = j.key and q.status = 'qualified'
left join seed_steps as w on w.key = j.key and w.status = 'won'
left join seed_steps as lost on lost.key = j.key and lost.status = 'lost'
order by j.created_at;

-- Which seeded lead is which (later sections join on it).
create temporary table seed_lead_ids as
select j.key, l.id as lead_id, l.coach_id
from seed_journeys as j
join public.leads as l on l.user_id_instagram = 'ig_' || substr(md5(j.key), 1, 12);

-- One step at a time with its event time: the triggers write lead_status_events (and the call milestones of
-- message_sequences) as they do for n8n's status changes.
do $$
declare
    step_no integer;
begin
    for step_no in 1..7 loop
        update public.leads as l
        set status = s.status, status_changed_at = s.at
        from seed_steps as s
        join seed_lead_ids as i on i.key = s.key
        where l.id = i.lead_id and s.step = step_no;
    end loop;
end;
$$;

-- ---------------------------------------------------------------------------------------------------------------
-- 7. Messages
-- ---------------------------------------------------------------------------------------------------------------

-- Every message of every journey (kind says which part of it), then the ones sent by the cutoff go in, in time order.
create temporary table seed_messages as
with talk as (
    -- question/answer pairs between two of the lead's answers: the setter asks 2 minutes after an answer, the lead
    -- answers after the same wait each time; the last answer is at talk_to
    select j.key, n, j.reply_at as talk_from, j.talk_ends_at as talk_to, j.talk_pairs as pairs, 'talk' as kind
    from seed_journeys as j
    cross join generate_series(1, j.talk_pairs) as n
    where j.reply_at is not null
    union all
    select j.key, n, j.lead_magnet_at, j.proposal_at - interval '2 minutes', j.proposal_pairs, 'proposal_talk'
    from seed_journeys as j
    cross join generate_series(1, j.proposal_pairs) as n
    where j.proposal_at is not null and j.lead_magnet_at is not null
    union all
    select j.key, n, j.talk_ends_at, j.proposal_at - interval '2 minutes', j.proposal_pairs, 'proposal_talk'
    from seed_journeys as j
    cross join generate_series(1, j.proposal_pairs) as n
    where j.proposal_at is not null and j.lead_magnet_at is null
),
talk_messages as (
    select t.key, t.kind, t.n, d.direction,
        t.talk_from + (t.n - 1) * (gap + interval '2 minutes') + interval '2 minutes'
            + case d.direction when 'in' then gap else interval '0' end as at
    from talk as t
    cross join lateral (select (t.talk_to - t.talk_from - t.pairs * interval '2 minutes') / t.pairs as gap) as g
    cross join (values ('out'), ('in')) as d (direction)
),
all_messages as (
    select j.key, 'first' as kind, 1 as n, 'in' as direction, j.first_message_at as at from seed_journeys as j
    union all select j.key, 'dm1', 1, 'out', j.dm1_at from seed_journeys as j
    union all select j.key, 'dm2', 1, 'out', j.dm2_at from seed_journeys as j
    union all select j.key, 'dm3', 1, 'out', j.dm3_at from seed_journeys as j
    union all select j.key, 'dm4', 1, 'out', j.dm4_at from seed_journeys as j
    union all select j.key, 'reply', 1, 'in', j.reply_at from seed_journeys as j
    union all select t.key, t.kind, t.n, t.direction, t.at from talk_messages as t
    union all select j.key, 'lead_magnet', 1, 'out', j.lead_magnet_at from seed_journeys as j
    union all select j.key, 'proposal', 1, 'out', j.proposal_at from seed_journeys as j
    union all select j.key, 'booking', 1, 'in', j.booking_message_at from seed_journeys as j
    union all select j.key, 'booking_confirmed', 1, 'out', j.booking_message_at + interval '2 minutes' from seed_journeys as j
    union all select j.key, 'call_reminder', 1, 'out', j.call_at - interval '2 hours' from seed_journeys as j
    union all select j.key, 'welcome', 1, 'out', j.won_at + interval '5 minutes' from seed_journeys as j
    union all select j.key, 'relance', 1, 'out', j.relance_message_at from seed_journeys as j
    union all select j.key, 'decline', 1, 'in', j.decline_message_at from seed_journeys as j
)
select
    m.key, m.kind, m.n, m.direction,
    date_trunc('second', m.at) as created_at,
    case m.kind
        when 'first' then 'Salut ! J''ai vu ta story, tu proposes du coaching ?'
        when 'dm1' then 'Salut ! Merci pour ton message, tu cherches à atteindre quel objectif ?'
        when 'dm2' then 'Je reviens vers toi : c''est quoi ton objectif numéro 1 en ce moment ?'
        when 'dm3' then 'Tu as vu mon dernier post ? Beaucoup de mes clients ont commencé exactement comme toi'
        when 'dm4' then 'Dernier message de ma part : si un jour tu veux en parler, je suis là !'
        when 'reply' then (array['Perdre du poids avant l''été', 'Reprendre le sport', 'Prendre du muscle',
            'Retrouver de l''énergie', 'Me remettre en forme'])[1 + j.i % 5]
        when 'lead_magnet' then 'Je t''envoie mon guide gratuit, dis-moi ce que tu en penses'
        when 'proposal' then 'Le plus simple : on en parle 15 min en appel cette semaine ?'
        when 'booking' then (array['Oui, jeudi 18h ça me va', 'Ok pour demain midi', 'Lundi soir c''est parfait'])[1 + j.i % 3]
        when 'booking_confirmed' then 'Parfait, je t''envoie le lien de l''appel'
        when 'call_reminder' then 'Petit rappel : on s''appelle tout à l''heure !'
        when 'welcome' then 'Bienvenue dans le programme ! Je t''envoie tout par email'
        when 'relance' then case
            when j.call_at is not null and not j.showed then 'On s''est manqués pour l''appel, on en refixe un ?'
            when j.call_at is not null then 'Alors, tu as pu y réfléchir ?'
            else 'Petite relance : toujours partant(e) ?' end
        when 'decline' then case j.lost_reason
            when 'price' then 'C''est trop cher pour moi en ce moment'
            when 'time' then 'Je n''ai pas le temps en ce moment'
            when 'already_tried' then 'J''ai déjà essayé un coaching, ça n''a pas marché'
            when 'hesitation' then 'Je préfère attendre encore un peu'
            else 'Finalement je vais faire autrement' end
        else case m.direction
            when 'out' then (array['Top ! Tu t''entraînes combien de fois par semaine ?', 'Qu''est-ce qui t''a bloqué jusqu''ici ?',
                'Tu as déjà suivi un programme ?', 'Et côté alimentation, tu en es où ?', 'Ok, c''est super courant'])[1 + (m.n + j.i) % 5]
            else (array['Deux fois, mais sans programme', 'Le manque de temps surtout', 'Une appli, mais j''ai lâché',
                'Je mange un peu n''importe comment', 'Oui exactement'])[1 + (m.n + j.i) % 5]
        end
    end as text
from all_messages as m
join seed_journeys as j on j.key = m.key
where m.at <= pg_temp.cutoff();

insert into public.messages (lead_id, coach_id, external_id, direction, text, created_at)
select
    i.lead_id,
    i.coach_id,
    'seed-' || m.key || '-' || row_number() over (partition by m.key order by m.created_at),
    m.direction,
    m.text,
    m.created_at
from seed_messages as m
join seed_lead_ids as i on i.key = m.key
order by m.created_at, m.key;

-- >>> variants (issue 22): Julie tests two openers; her DM 1 carries one of them, chosen by a hash of the lead, as a
-- ManyChat Randomizer would. Her other DMs and the other coaches have none ("sans variante").
update public.messages as m
set variant = case when pg_temp.r(l.user_id_instagram || ':variant') < 0.5 then 'Question objectif'
    else 'Compliment profil' end
from public.leads as l
where l.id = m.lead_id and m.coach_id = 'c0000000-0000-4000-8000-000000000001' and m.direction = 'out'
    and m.message_number = 1;
-- and a note on her timeline the day the test started, ten days ago in her time zone: the trend marks it and the
-- Notes card shows its before/after (public.get_timeline_notes).
insert into private.timeline_notes (coach_id, day, note)
select c.id, (now() at time zone c.timezone)::date - 10, 'Nouveau script d’accroche : deux versions du 1er DM en test'
from public.coachs as c
where c.id = 'c0000000-0000-4000-8000-000000000001';
-- <<< variants

-- ---------------------------------------------------------------------------------------------------------------
-- 8. Derived data
-- ---------------------------------------------------------------------------------------------------------------

-- Build the KPI facts and every coach's period documents now, as the upkeep's first pass would at the next full
-- minute (pg_cron job kpi-upkeep): the very first page load after a reset or a new `npm start` shows these numbers,
-- never "préparation des chiffres". Passes until the queue the seed filled is drained (one is enough here).
do $$
begin
    while (private.kpi_upkeep() ->> 'queued')::integer > 0 loop
    end loop;
end;
$$;

-- Then the legacy document's materialized view, which reads those facts, now rather than at the first 5-minute
-- cron run.
select public.refresh_dashboard_kpis();

commit;
