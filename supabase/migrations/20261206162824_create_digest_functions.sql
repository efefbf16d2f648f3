-- Purpose: the digest emails' SQL: which coaches are due (weekly from Monday 8:00, daily from 8:00, in their time zone), the ledger's claim / sent / failed steps, what an email says (get_dashboard and get_alerts), the unsubscribe.

set lock_timeout = '500ms';

-- unsubscribe. Called by the send-digests and digest-unsubscribe edge functions (SUPABASE_DB_URL).

create or replace function private.digest_max_attempts()
returns integer
language sql
immutable
security invoker
set search_path = ''
as $$
    select 5;
$$;

comment on function private.digest_max_attempts() is
    'How many times a digest is claimed at most: after that many failures it is left failed (private.digest_ledger.last_error says why).';

revoke execute on function private.digest_max_attempts() from public;

create or replace function private.digest_week_start(week text)
returns date
language plpgsql
immutable
security invoker
set search_path = ''
as $$
declare
    monday date;
begin
    if week is null then
        return null;
    end if;
    if week !~ '^[0-9]{4}-W[0-9]{2}$' then
        raise exception 'invalid parameter "week": "%" is not an ISO week YYYY-Www (e.g. 2026-W49)', week using errcode = '22023';
    end if;
    monday := to_date(week, 'IYYY-"W"IW');
    if to_char(monday, 'IYYY-"W"IW') <> week then
        raise exception 'invalid parameter "week": % has no week %', left(week, 4), right(week, 2) using errcode = '22023';
    end if;
    return monday;
end;
$$;

comment on function private.digest_week_start(text) is
    'The Monday of an ISO week written YYYY-Www (null for null); 22023 ''invalid parameter "week": …'' for anything else, a week 53 of a year that has 52 included.';

revoke execute on function private.digest_week_start(text) from public;

create or replace function private.digest_due(at timestamptz, target_coach uuid default null, week text default null)
returns table(coach_id uuid, name text, email text, timezone text, kind text, period_key text, period_start date, period_end date)
language sql
stable
security invoker
set search_path = ''
as $$
    with c as (
        select c.id, c.name, c.email, c.timezone, (at at time zone c.timezone) as local_now,
            coalesce(n.digest_weekly, true) as weekly, coalesce(n.digest_daily, false) as daily
        from public.coachs as c
        left join private.coach_notification_settings as n on n.coach_id = c.id
        where (target_coach is null or c.id = target_coach)
            -- a coach without any lead yet has nothing to read (n8n not connected yet)
            and exists (select 1 from public.leads as l where l.coach_id = c.id)
    ), p as (
        -- the last week (day) whose digest time, the next Monday (day) at 8:00, has passed
        select c.*, 'weekly' as kind,
            coalesce(private.digest_week_start(week), date_trunc('week', c.local_now - interval '8 hours')::date - 7) as first_day,
            6 as days
        from c
        where c.weekly
        union all
        select c.*, 'daily', (c.local_now - interval '8 hours')::date - 1, 0
        from c
        where c.daily and week is null
    ), k as (
        select p.*, case p.kind when 'weekly' then to_char(p.first_day, 'IYYY-"W"IW') else p.first_day::text end as key
        from p
    )
    select k.id, k.name, k.email, k.timezone, k.kind, k.key, k.first_day, k.first_day + k.days
    from k
    where k.first_day + k.days < k.local_now::date
        and not exists (
            select 1 from private.digest_ledger as l
            where l.coach_id = k.id and l.kind = k.kind and l.period_key = k.key
                and (l.status = 'sent'
                    or (l.status = 'claimed' and l.lease_until > at)
                    or (l.status = 'failed' and l.attempts >= private.digest_max_attempts())))
    order by k.id, k.kind;
$$;

comment on function private.digest_due(timestamptz, uuid, text) is
    'The digests to send at instant at: weekly (coaches with digest_weekly) about the last ISO week whose next Monday 8:00 in the coach''s time zone has passed, daily (digest_daily) about the last day whose next 8:00 has passed, leaving out coaches without any lead, and digests sent, claimed by a run whose lease holds, or failed private.digest_max_attempts() times (so a digest that could not go on its Monday stays due until the next one is). target_coach: that coach only; week (YYYY-Www): that week''s weekly digests, once it has ended in each coach''s time zone. Errors: 22023 a bad week.';

revoke execute on function private.digest_due(timestamptz, uuid, text) from public;

create or replace function private.digest_claim(target_coach uuid, digest_kind text, key text, first_day date, last_day date, lease_seconds integer default 600)
returns uuid
language sql
volatile
security invoker
set search_path = ''
as $$
    insert into private.digest_ledger as l (coach_id, kind, period_key, period_start, period_end, status, claim_token,
        lease_until, attempts, claimed_at)
    values (target_coach, digest_kind, key, first_day, last_day, 'claimed', gen_random_uuid(),
        clock_timestamp() + make_interval(secs => lease_seconds), 1, clock_timestamp())
    on conflict on constraint digest_ledger_pkey do update
    set status = 'claimed', claim_token = excluded.claim_token, lease_until = excluded.lease_until,
        attempts = l.attempts + 1, claimed_at = excluded.claimed_at
    where (l.status = 'claimed' and l.lease_until <= clock_timestamp())
        or (l.status = 'failed' and l.attempts < private.digest_max_attempts())
    returning l.claim_token;
$$;

comment on function private.digest_claim(uuid, text, text, date, date, integer) is
    'Claims the digest of a coach, kind and period for lease_seconds: returns the claim token, or null when it is sent, claimed by another run whose lease holds, or failed too often. Two concurrent claimers: the second waits for the first''s commit on the row and then finds it claimed (null). Run it in its own transaction, committed before sending.';

revoke execute on function private.digest_claim(uuid, text, text, date, date, integer) from public;

create or replace function private.digest_mark_sent(target_coach uuid, digest_kind text, key text, token uuid, sent_message_id text)
returns boolean
language sql
volatile
security invoker
set search_path = ''
as $$
    update private.digest_ledger as l
    set status = 'sent', sent_at = clock_timestamp(), message_id = sent_message_id, lease_until = null, last_error = null
    where l.coach_id = target_coach and l.kind = digest_kind and l.period_key = key
        and l.claim_token = token and l.status = 'claimed'
    returning true;
$$;

comment on function private.digest_mark_sent(uuid, text, text, uuid, text) is
    'Records that the run holding the claim token sent the digest (the SMTP server accepted it). Returns true, or null when that run no longer holds the claim (its lease expired and another run claimed it).';

revoke execute on function private.digest_mark_sent(uuid, text, text, uuid, text) from public;

create or replace function private.digest_mark_failed(target_coach uuid, digest_kind text, key text, token uuid, error text)
returns boolean
language sql
volatile
security invoker
set search_path = ''
as $$
    update private.digest_ledger as l
    set status = 'failed', lease_until = null, last_error = left(error, 1000)
    where l.coach_id = target_coach and l.kind = digest_kind and l.period_key = key
        and l.claim_token = token and l.status = 'claimed'
    returning true;
$$;

comment on function private.digest_mark_failed(uuid, text, text, uuid, text) is
    'Records that the run holding the claim token could not send the digest (error, cut to 1,000 characters): the next run claims it again, up to private.digest_max_attempts() claims. Returns true, or null when that run no longer holds the claim.';

revoke execute on function private.digest_mark_failed(uuid, text, text, uuid, text) from public;

create or replace function private.digest_content(target_coach uuid, first_day date, last_day date)
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
    select jsonb_build_object(
        'dashboard', public.get_dashboard(target_coach, 'range', first_day, last_day),
        'alerts', coalesce((select jsonb_agg(to_jsonb(a)) from public.get_alerts(target_coach) as a), '[]'::jsonb));
$$;

comment on function private.digest_content(uuid, date, date) is
    'What a digest says, as the dashboard says it: the period document of the local days first_day to last_day (get_dashboard with period range: the six headline KPIs with their change against the period before, and the follow-up list) and the active alerts (get_alerts). Nothing is computed here.';

revoke execute on function private.digest_content(uuid, date, date) from public;

create or replace function private.digest_unsubscribe(target_coach uuid)
returns boolean
language sql
volatile
security invoker
set search_path = ''
as $$
    insert into private.coach_notification_settings as n (coach_id, digest_weekly, digest_daily)
    select c.id, false, false from public.coachs as c where c.id = target_coach
    on conflict (coach_id) do update set digest_weekly = false, digest_daily = false
    returning true;
$$;

comment on function private.digest_unsubscribe(uuid) is
    'Turns both digest emails of a coach off (the one-click unsubscribe link of the emails; the switches in /settings turn them on again). Returns true, or null for an unknown coach.';

revoke execute on function private.digest_unsubscribe(uuid) from public;
