-- Purpose: helpers shared by every KPI: rate documents ({value, num, den, low_sample}), ratings, changes and the caller check.

create or replace function private.kpi_min_sample()
returns integer
language sql
immutable
security invoker
set search_path = ''
as $$
    select 5;
$$;

comment on function private.kpi_min_sample() is
    'Minimum denominator of a rate: below it the rate says low_sample = true and the page shows "pas assez de données".';

create or replace function private.kpi_rate(num numeric, den numeric, sampled boolean default true)
returns jsonb
language sql
immutable
security invoker
set search_path = ''
as $$
    select jsonb_build_object(
        'value', case when coalesce(den, 0) = 0 then null else round(coalesce(num, 0) * 100.0 / den, 1) end,
        'num', coalesce(num, 0),
        'den', coalesce(den, 0),
        'low_sample', sampled and coalesce(den, 0) < private.kpi_min_sample()
    );
$$;

comment on function private.kpi_rate(numeric, numeric, boolean) is
    'A rate as the dashboard returns it: {value: num/den in % rounded to 1 decimal (null when den = 0), num, den, low_sample: den < kpi_min_sample()}. sampled = false for a rate whose denominator is money, not a count (ROI): low_sample is then false.';

create or replace function private.kpi_rating(percentage numeric)
returns text
language sql
immutable
security invoker
set search_path = ''
as $$
    select case
        when percentage is null then null
        when percentage >= 60 then 'excellent'
        when percentage >= 40 then 'good'
        else 'to_improve'
    end;
$$;

comment on function private.kpi_rating(numeric) is
    'Rating of a reply rate given as a percentage (the rounded value the coach sees): excellent >= 60, good 40 to < 60, to_improve < 40, null when there is no rate.';

create or replace function private.kpi_change(current_value numeric, previous_value numeric)
returns jsonb
language sql
immutable
security invoker
set search_path = ''
as $$
    select jsonb_build_object(
        'current', coalesce(current_value, 0),
        'previous', coalesce(previous_value, 0),
        'change_pct', case when coalesce(previous_value, 0) = 0 then null
            else round((coalesce(current_value, 0) - previous_value) * 100.0 / previous_value, 1) end
    );
$$;

comment on function private.kpi_change(numeric, numeric) is
    'Period-over-period change: {current, previous, change_pct = (current - previous) / previous in % rounded to 1 decimal, null when previous = 0}.';

-- The one caller check of every dashboard function (they run as security definer and read private objects).
create or replace function private.check_coach_access(requested_coach_id uuid)
returns uuid
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
    api_role text := coalesce(nullif(current_setting('role', true), ''), 'none');
begin
    if requested_coach_id is null then
        raise exception 'coach_id is required: sign in as a coach or pass a coach id'
            using errcode = '22004';
    end if;
    -- anon and authenticated are API callers: a coach reads its own data, an admin (app_metadata) anyone's.
    -- Other roles (service_role, the database owner, pg_cron) are trusted.
    if api_role in ('anon', 'authenticated')
        and requested_coach_id is distinct from auth.uid()
        and not public.is_admin() then
        raise exception 'permission denied: a coach can only read its own dashboard'
            using errcode = '42501';
    end if;
    if not exists (select 1 from public.coachs as c where c.id = requested_coach_id) then
        raise exception 'coach not found'
            using errcode = 'P0002';
    end if;
    return requested_coach_id;
end;
$$;

comment on function private.check_coach_access(uuid) is
    'Returns the coach id when the caller may read that coach''s dashboard, else raises: 22004 no coach id (anonymous caller), 42501 a coach asking for another coach, P0002 unknown coach. Admins (app_metadata.role) and non-API roles (service_role, owner, pg_cron) may read any coach.';

revoke all on function private.kpi_min_sample() from public;
revoke all on function private.kpi_rate(numeric, numeric, boolean) from public;
revoke all on function private.kpi_rating(numeric) from public;
revoke all on function private.kpi_change(numeric, numeric) from public;
revoke all on function private.check_coach_access(uuid) from public;
