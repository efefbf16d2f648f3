-- Purpose: the coach's settings carry its webhook signing secrets: update_coach_settings takes stripe_webhook_secret and calendly_signing_key (write-only), get_coach_settings says only whether each is set.

set lock_timeout = '500ms';

-- Reading whether a secret is set needs private.coach_webhook_secrets, which no API role may read: the document is
-- built by a definer that checks the caller as get_coach_settings always did (22004, 42501, PT404).
create or replace function private.coach_settings(coach_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
    result jsonb;
begin
    if coach_settings.coach_id is null then
        raise exception 'coach_id is required: sign in as a coach or pass a coach id' using errcode = '22004';
    end if;
    if coalesce(nullif(current_setting('role', true), ''), 'none') in ('anon', 'authenticated')
        and coach_settings.coach_id is distinct from auth.uid()
        and not public.is_admin() then
        raise exception 'permission denied: a coach can only read its own settings' using errcode = '42501';
    end if;
    select jsonb_build_object(
        'coach_id', c.id,
        'timezone', c.timezone,
        'currency', s.currency,
        'setter_monthly_cost', s.setter_monthly_cost,
        'setter_cost_estimated', s.setter_cost_confirmed_at is null,
        'minutes_per_manual_message', s.minutes_per_manual_message,
        'default_no_show_rate', s.default_no_show_rate,
        'stripe_webhook_secret_set', w.stripe_webhook_secret is not null,
        'calendly_signing_key_set', w.calendly_signing_key is not null,
        'updated_at', greatest(c.updated_at, s.updated_at, w.updated_at))
    into result
    from public.coachs as c
    join public.coach_settings as s on s.coach_id = c.id
    left join private.coach_webhook_secrets as w on w.coach_id = c.id
    where c.id = coach_settings.coach_id;
    if result is null then
        raise exception 'coach not found' using errcode = 'PT404';
    end if;
    return result;
end;
$$;

comment on function private.coach_settings(uuid) is
    'The settings document of public.get_coach_settings. Security definer (it reads whether the webhook secrets are set, never their value): checks the caller, 22004 no coach id, 42501 another coach''s id (admins may read any), PT404 unknown coach.';

revoke all on function private.coach_settings(uuid) from public, anon;
grant execute on function private.coach_settings(uuid) to authenticated, service_role;

create or replace function public.get_coach_settings(coach_id uuid default auth.uid())
returns jsonb
language sql
stable
security invoker
set search_path = ''
begin atomic
    select private.coach_settings(get_coach_settings.coach_id);
end;

comment on function public.get_coach_settings(uuid) is
    'The settings of a coach (default: the caller) as JSON: timezone, currency, setter_monthly_cost, setter_cost_estimated (true while the cost is the default, never given by the coach), minutes_per_manual_message, default_no_show_rate (0..1), stripe_webhook_secret_set and calendly_signing_key_set (whether each webhook secret is set: their values are never returned), updated_at. Errors: 22004 no coach id, 42501 another coach''s id (admins may read any), PT404 unknown coach (HTTP 404).';

-- A webhook secret: Stripe's endpoint secret (whsec_…), Calendly's signing key; printable, no spaces.
create or replace function private.read_webhook_secret(settings jsonb, field text, pattern text, shape text)
returns text
language plpgsql
immutable
security invoker
set search_path = ''
as $$
declare
    value text := private.ingest_text(settings, field, 500);
begin
    if value is not null and value !~ pattern then
        raise exception using errcode = '22023', message = format('invalid field "%s": %s', field, shape);
    end if;
    return value;
end;
$$;

comment on function private.read_webhook_secret(jsonb, text, text, text) is
    'Reads a webhook secret of the settings (null when absent or blank); 22023 ''invalid field "<name>": <shape>'' when it does not match pattern. The value is never put in the error.';

revoke all on function private.read_webhook_secret(jsonb, text, text, text) from public;

create or replace function private.save_coach_settings(settings jsonb)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    coach uuid := auth.uid();
    v_cost numeric;
    v_minutes numeric;
    v_no_show numeric;
    v_currency text;
    v_timezone text;
    v_stripe text;
    v_calendly text;
begin
    if coach is null or not exists (select 1 from public.coachs as c where c.id = coach) then
        raise exception 'permission denied: only a signed-in coach can change its settings' using errcode = '42501';
    end if;
    if jsonb_typeof(settings) is distinct from 'object' then
        perform private.ingest_raise_field('settings', 'must be a JSON object', settings);
    end if;
    perform private.ingest_check_payload(settings, array[
        'setter_monthly_cost', 'currency', 'timezone', 'minutes_per_manual_message', 'default_no_show_rate',
        'stripe_webhook_secret', 'calendly_signing_key']);
    v_cost := private.ingest_numeric(settings, 'setter_monthly_cost', 0, 100000);
    v_currency := private.ingest_text(settings, 'currency', 100);
    if v_currency !~ '^[A-Z]{3}$' then
        perform private.ingest_raise_field('currency', 'must be a currency code of 3 capital letters (ISO 4217)', settings -> 'currency');
    end if;
    v_timezone := private.ingest_text(settings, 'timezone', 100);
    if v_timezone is not null
        and not exists (select 1 from pg_catalog.pg_timezone_names as z where z.name = v_timezone) then
        perform private.ingest_raise_field('timezone', 'must be an IANA time zone name (e.g. Europe/Paris)', settings -> 'timezone');
    end if;
    v_minutes := private.ingest_numeric(settings, 'minutes_per_manual_message', 0, 60);
    v_no_show := private.ingest_numeric(settings, 'default_no_show_rate', 0, 1);
    v_stripe := private.read_webhook_secret(settings, 'stripe_webhook_secret', '^whsec_[A-Za-z0-9+/=_-]{8,}$',
        'must be the signing secret of a Stripe webhook endpoint (whsec_…)');
    v_calendly := private.read_webhook_secret(settings, 'calendly_signing_key', '^[!-~]{8,}$',
        'must be 8 to 500 printable characters without spaces');

    update public.coach_settings as s
    set setter_monthly_cost = coalesce(v_cost, s.setter_monthly_cost),
        setter_cost_confirmed_at = case when v_cost is null then s.setter_cost_confirmed_at else now() end,
        currency = coalesce(v_currency, s.currency),
        minutes_per_manual_message = coalesce(v_minutes, s.minutes_per_manual_message),
        default_no_show_rate = coalesce(v_no_show, s.default_no_show_rate)
    where s.coach_id = coach;
    update public.coachs as c
    set timezone = v_timezone
    where c.id = coach and v_timezone is not null and c.timezone is distinct from v_timezone;
    if v_stripe is not null or v_calendly is not null then
        insert into private.coach_webhook_secrets as w (coach_id, stripe_webhook_secret, calendly_signing_key)
        values (coach, v_stripe, v_calendly)
        on conflict (coach_id) do update
        set stripe_webhook_secret = coalesce(excluded.stripe_webhook_secret, w.stripe_webhook_secret),
            calendly_signing_key = coalesce(excluded.calendly_signing_key, w.calendly_signing_key),
            updated_at = now();
    end if;
end;
$$;

comment on function private.save_coach_settings(jsonb) is
    'Writes the caller''s own settings (security definer: API roles have no write policy on coach_settings or coachs, and no grant on private.coach_webhook_secrets). Every field is checked before anything is written; absent, null or blank fields keep their value; giving setter_monthly_cost confirms it (setter_cost_confirmed_at); stripe_webhook_secret and calendly_signing_key are stored, never returned. Errors: 42501 the caller is not a signed-in coach, 22023 ''invalid field "<name>": <problem>''.';

comment on function public.update_coach_settings(jsonb) is
    'Changes the signed-in coach''s own settings and returns them as get_coach_settings() does. settings is a JSON object with any of: setter_monthly_cost (0 to 100000, in the coach''s currency, per month), currency (ISO 4217, e.g. EUR), timezone (IANA name, e.g. Europe/Paris), minutes_per_manual_message (0 to 60), default_no_show_rate (0 to 1), stripe_webhook_secret (the whsec_… secret of the coach''s Stripe webhook endpoint), calendly_signing_key (the signing key of its Calendly webhook subscription). The two secrets are write-only: the answer says only whether each is set. Absent, null or blank fields are kept; nothing is written unless every field is valid. Errors (HTTP 400): 22023 ''invalid field "<name>": <problem>'' naming the field, an unknown field included; 42501 (403) the caller is not a signed-in coach.';
