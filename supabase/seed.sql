-- Seed: deterministic demo data for local development and tests (`supabase db reset` runs it after the migrations).
--
-- Accounts (password sign-in):
--   admin@example.com   admin-demo-2026   app_metadata.role = admin
--   julie@example.com   coach-demo-2026   coach Julie Martin (fitness), 120 leads
--   karim@example.com   coach-demo-2026   coach Karim Benali (musculation), 80 leads
--   sophie@example.com  coach-demo-2026   coach Sophie Laurent (yoga), 45 leads
-- and a legacy coach without an account (lucas@example.com, 12 leads) that create-coach can invite.
--
-- Every "random" choice is a hash of the lead's key, so the data is the same on every run; dates are relative
-- to the time the seed runs (leads spread over the last 30 days).
--
-- Never in production: the seed refuses to run (and changes nothing) when the database holds a coach, a lead or a
-- user it did not create itself, e.g. after `supabase db push --include-seed` onto a real project. One transaction:
-- psql without ON_ERROR_STOP, `supabase db reset` and `db push --include-seed` all stop at the refusal.

begin;

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
    now() - interval '45 days',
    now() - interval '45 days',
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

insert into public.coachs (id, name, specialty, email, timezone, created_at)
values
    ('c0000000-0000-4000-8000-000000000001', 'Julie Martin', 'fitness', 'julie@example.com', 'Europe/Paris', now() - interval '45 days'),
    ('c0000000-0000-4000-8000-000000000002', 'Karim Benali', 'musculation', 'karim@example.com', 'Europe/Paris', now() - interval '40 days'),
    ('c0000000-0000-4000-8000-000000000003', 'Sophie Laurent', 'yoga', 'sophie@example.com', 'Europe/Paris', now() - interval '35 days'),
    ('c0000000-0000-4000-8000-000000000004', 'Lucas Petit', 'pilates', 'lucas@example.com', 'Europe/Paris', now() - interval '60 days');

-- r(key): a deterministic number in [0, 1) from a text key.
create function pg_temp.r(key text)
returns double precision
language sql
immutable
as $$
    select ('x' || left(md5(key), 8))::bit(32)::bigint / 4294967296.0;
$$;

-- pick(key, weights): index (1-based) chosen by cumulative weights.
create function pg_temp.pick(key text, weights double precision[])
returns integer
language sql
immutable
as $$
    select coalesce(min(i), array_length(weights, 1))
    from generate_subscripts(weights, 1) as i
    where pg_temp.r(key) * (select sum(w) from unnest(weights) as w)
        < (select sum(w) from unnest(weights[1:i]) as w);
$$;

create temporary table seed_leads as
with per_coach (coach_id, n) as (
    values
        ('c0000000-0000-4000-8000-000000000001'::uuid, 120),
        ('c0000000-0000-4000-8000-000000000002'::uuid, 80),
        ('c0000000-0000-4000-8000-000000000003'::uuid, 45),
        ('c0000000-0000-4000-8000-000000000004'::uuid, 12)
),
keyed as (
    select c.coach_id, i, c.coach_id::text || ':' || i as k
    from per_coach as c, generate_series(1, c.n) as i
)
select
    k.coach_id,
    k.i,
    k.k,
    (array['new', 'engaged', 'qualified', 'call_proposed', 'call_booked', 'won', 'lost', 'relance'])
        [pg_temp.pick(k.k || 'status', array[15, 22, 12, 8, 8, 10, 15, 10])] as final_status,
    -- the furthest funnel stage reached before becoming lost / relance
    (array[2, 3, 5])[pg_temp.pick(k.k || 'peak', array[55, 30, 15])] as exit_peak,
    (array['story', 'post', 'keyword', 'dm_organique'])[pg_temp.pick(k.k || 'source', array[35, 20, 30, 15])] as source,
    (array['male', 'female', 'other', null])[pg_temp.pick(k.k || 'gender', array[45, 47, 3, 5])] as gender,
    case when pg_temp.r(k.k || 'age?') < 0.9 then 19 + floor(pg_temp.r(k.k || 'age') * 36)::int end as age,
    (array['Infirmière', 'infirmière ', 'Développeur', 'Commercial', 'Étudiant', 'Enseignante', 'Chef de projet',
        'Entrepreneur', 'Comptable', 'Kinésithérapeute', 'commercial', 'Assistante RH', null])
        [1 + floor(pg_temp.r(k.k || 'job') * 13)::int] as job_title,
    (array['Emma', 'Lucas', 'Léa', 'Hugo', 'Chloé', 'Louis', 'Manon', 'Nathan', 'Camille', 'Théo', 'Sarah', 'Mehdi',
        'Inès', 'Yanis', 'Julia', 'Adam', 'Lina', 'Raphaël', 'Zoé', 'Enzo'])
        [1 + floor(pg_temp.r(k.k || 'first') * 20)::int] as first_name,
    (array['Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon',
        'Laurent', 'Lefebvre', 'Michel', 'Garcia', 'David'])
        [1 + floor(pg_temp.r(k.k || 'last') * 15)::int] as last_name,
    (array['price', 'time', 'already_tried', 'hesitation', 'other'])
        [pg_temp.pick(k.k || 'lost', array[40, 25, 15, 15, 5])] as lost_reason,
    (array[497, 997, 1497, 1997])[pg_temp.pick(k.k || 'deal', array[30, 40, 20, 10])]::numeric as deal_value,
    -- created between 30 days ago and now, in the daytime (Paris), a few of them today
    date_trunc('day', now() at time zone 'Europe/Paris') at time zone 'Europe/Paris'
        - make_interval(days => floor(pg_temp.r(k.k || 'day') * 30)::int)
        + make_interval(mins => 8 * 60 + floor(pg_temp.r(k.k || 'minute') * 14 * 60)::int) as created_at
from keyed as k;

-- Nothing in the future: a lead "created" later today moves back to yesterday.
update seed_leads set created_at = created_at - interval '1 day' where created_at > now() - interval '10 minutes';

insert into public.leads (
    coach_id, user_id_instagram, contact_id, instagram_username, first_name, last_name, email, age, gender,
    job_title, status, source, created_at, time_to_action_minutes, lead_magnet_sent_at, call_showed, deal_value,
    lost_reason
)
select
    s.coach_id,
    'ig_' || substr(md5(s.k), 1, 12),
    'mc_' || substr(md5(s.k || 'contact'), 1, 10),
    lower(translate(s.first_name, 'éèëçïôÉ', 'eeecioe')) || '.' || lower(s.last_name) || (s.i % 97),
    s.first_name,
    s.last_name,
    case when s.final_status in ('qualified', 'call_proposed', 'call_booked', 'won') and pg_temp.r(s.k || 'email') < 0.6
        then lower(translate(s.first_name, 'éèëçïôÉ', 'eeecioe')) || '.' || lower(s.last_name) || s.i || '@mail.example'
    end,
    s.age,
    s.gender,
    s.job_title,
    'new',
    s.source,
    s.created_at,
    case when s.final_status in ('qualified', 'call_proposed', 'call_booked', 'won')
        then 5 + floor(pg_temp.r(s.k || 'tta') * 600)::int end,
    case when s.final_status in ('qualified', 'call_proposed', 'call_booked', 'won') and pg_temp.r(s.k || 'magnet') < 0.75
        then least(s.created_at + interval '2 hours', now() - interval '1 minute') end,
    case
        when s.final_status = 'won' then true
        when s.final_status = 'call_booked' and pg_temp.r(s.k || 'show') < 0.3 then false
        when s.final_status = 'call_booked' and pg_temp.r(s.k || 'show') < 0.6 then true
    end,
    case when s.final_status = 'won' then s.deal_value end,
    case when s.final_status = 'lost' then s.lost_reason end
from seed_leads as s
order by s.created_at;

-- Status history: each lead walks the funnel from its creation, one stage every few hours, up to its final status.
create temporary table seed_paths as
select
    l.id as lead_id,
    st.rank,
    st.status,
    -- each step happens a fraction of the way between the lead's creation and now
    l.created_at + (now() - l.created_at) * (st.rank::double precision / 8.0) as changed_at
from public.leads as l
join seed_leads as s on s.coach_id = l.coach_id and l.user_id_instagram = 'ig_' || substr(md5(s.k), 1, 12)
cross join lateral (
    select x.rank, x.status
    from (values (2, 'engaged'), (3, 'qualified'), (4, 'call_proposed'), (5, 'call_booked'), (6, 'won')) as x (rank, status)
    where x.rank <= case
        when s.final_status in ('lost', 'relance') then s.exit_peak
        else public.lead_status_rank(s.final_status)
    end
    union all
    select 7, s.final_status where s.final_status in ('lost', 'relance')
) as st;

do $$
declare
    step integer;
begin
    for step in 2..7 loop
        update public.leads as l
        set status = p.status, status_changed_at = p.changed_at
        from seed_paths as p
        where p.lead_id = l.id and p.rank = step;
    end loop;
end;
$$;

-- Conversations: the setter sends outbound DMs; the lead answers some of them, more often the further it went.
insert into public.messages (lead_id, coach_id, external_id, direction, text, created_at)
with conv as (
    select
        l.id,
        l.coach_id,
        l.created_at,
        l.status,
        coalesce(max(p.rank), 1) as peak,
        -- the conversation spans from creation to the last status change (or a day for new leads)
        greatest(interval '30 minutes',
            least(now() - l.created_at, coalesce(max(p.changed_at), l.created_at + interval '1 day') - l.created_at)) as span
    from public.leads as l
    left join seed_paths as p on p.lead_id = l.id and p.rank <= 6
    group by l.id
),
turns as (
    select
        c.*,
        case when c.peak = 1 then 1 + floor(pg_temp.r(c.id::text || 'count') * 2)::int
            else least(10, 1 + c.peak * 2) end as outbound_count
    from conv as c
)
select
    t.id,
    t.coach_id,
    'seed-' || t.id || '-' || n || '-' || d.direction,
    d.direction,
    case d.direction
        when 'out' then (array['Salut ! Merci pour ton message, tu cherches à atteindre quel objectif ?',
            'Top ! Tu t''entraînes combien de fois par semaine en ce moment ?',
            'Je t''envoie mon guide gratuit, dis-moi ce que tu en penses',
            'On peut en parler 15 min en appel cette semaine ?',
            'Petite relance : toujours partant(e) ?'])[1 + (n - 1) % 5]
        else (array['Perdre du poids avant l''été', 'Deux fois, mais sans programme', 'Merci, je regarde ça',
            'Oui pourquoi pas', 'Je te redis'])[1 + (n - 1) % 5]
    end,
    -- messages clamped to the same instant keep their order (DM n, then its answer): no tie for the triggers and the
    -- KPIs to break by random id, so every delivery of the seed numbers and times them the same way
    least(now() - interval '1 minute',
        t.created_at + t.span * ((n - 1)::double precision / t.outbound_count)
            + case d.direction when 'in' then interval '7 minutes' else interval '1 minute' end)
        + make_interval(secs => n * 0.002 + case d.direction when 'in' then 0.001 else 0 end)
from turns as t
cross join lateral generate_series(1, t.outbound_count) as n
cross join lateral (
    select 'out' as direction
    union all
    select 'in' where t.peak >= 2
        -- leads beyond "new" answer DM 1 three times out of four, later DMs more often the further they went
        and pg_temp.r(t.id::text || ':' || n) < case when n = 1 then 0.75 else 0.3 + 0.1 * t.peak end
) as d;

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
