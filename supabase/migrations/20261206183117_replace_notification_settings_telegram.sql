-- Purpose: the notification settings carry the Telegram bot's state (never its token) and telegram_quiet_nights, which update_notification_settings saves.

set lock_timeout = '500ms';

create or replace function private.notification_settings(coach_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
    result jsonb;
begin
    if notification_settings.coach_id is null then
        raise exception 'coach_id is required: sign in as a coach or pass a coach id' using errcode = '22004';
    end if;
    if coalesce(nullif(current_setting('role', true), ''), 'none') in ('anon', 'authenticated')
        and notification_settings.coach_id is distinct from auth.uid()
        and not public.is_admin() then
        raise exception 'permission denied: a coach can only read its own settings' using errcode = '42501';
    end if;
    select jsonb_build_object(
        'coach_id', c.id,
        'hot_lead_hours', coalesce(n.hot_lead_hours, 12),
        'digest_weekly', coalesce(n.digest_weekly, true),
        'digest_daily', coalesce(n.digest_daily, false),
        'telegram_quiet_nights', coalesce(n.telegram_quiet_nights, false),
        'telegram', case when t.coach_id is not null then jsonb_build_object(
            'chat_id', t.chat_id,
            'connected_at', t.connected_at,
            'revoked_at', t.revoked_at,
            'last_sent_at', t.last_sent_at,
            'last_error', case when t.last_error_at >= coalesce(t.last_sent_at, '-infinity') then t.last_error end,
            'last_error_at', case when t.last_error_at >= coalesce(t.last_sent_at, '-infinity') then t.last_error_at end) end,
        'updated_at', n.updated_at)
    into result
    from public.coachs as c
    left join private.coach_notification_settings as n on n.coach_id = c.id
    left join private.coach_telegram as t on t.coach_id = c.id
    where c.id = notification_settings.coach_id;
    if result is null then
        raise exception 'coach not found' using errcode = 'PT404';
    end if;
    return result;
end;
$$;

comment on function private.notification_settings(uuid) is
    'The document of public.get_notification_settings. Security definer (the settings live in private): 22004 no coach id, 42501 another coach''s id (admins may read any), PT404 unknown coach.';

revoke execute on function private.notification_settings(uuid) from public;
grant execute on function private.notification_settings(uuid) to authenticated, service_role;

create or replace function public.get_notification_settings(coach_id uuid default auth.uid())
returns jsonb
language sql
stable
security invoker
set search_path = ''
begin atomic
    select private.notification_settings(get_notification_settings.coach_id);
end;

comment on function public.get_notification_settings(uuid) is
    'The notification settings of a coach (default: the caller) as JSON: hot_lead_hours (the hot_leads alert''s wait, 1 to 168 hours, default 12), digest_weekly (the Monday email, default true), digest_daily (the daily email, default false), telegram_quiet_nights (no Telegram message from 22:00 to 8:00, default false), telegram (null while no bot is connected, else chat_id, connected_at, revoked_at (the token was revoked: nothing is sent), last_sent_at, and last_error / last_error_at when the last send failed; never the token), updated_at (null while all are defaults). Errors: 22004 no coach id, 42501 another coach''s id (admins may read any), PT404 unknown coach (HTTP 404).';

revoke execute on function public.get_notification_settings(uuid) from public, anon;
grant execute on function public.get_notification_settings(uuid) to authenticated, service_role;

create or replace function private.save_notification_settings(settings jsonb)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    coach uuid := auth.uid();
    v_hours integer;
    v_weekly boolean;
    v_daily boolean;
    v_quiet boolean;
begin
    if coach is null or not exists (select 1 from public.coachs as c where c.id = coach) then
        raise exception 'permission denied: only a signed-in coach can change its settings' using errcode = '42501';
    end if;
    if jsonb_typeof(settings) is distinct from 'object' then
        perform private.ingest_raise_field('settings', 'must be a JSON object', settings);
    end if;
    perform private.ingest_check_payload(settings, array['hot_lead_hours', 'digest_weekly', 'digest_daily', 'telegram_quiet_nights']);
    v_hours := private.ingest_integer(settings, 'hot_lead_hours', 1, 168);
    v_weekly := private.ingest_boolean(settings, 'digest_weekly');
    v_daily := private.ingest_boolean(settings, 'digest_daily');
    v_quiet := private.ingest_boolean(settings, 'telegram_quiet_nights');
    insert into private.coach_notification_settings as n (coach_id, hot_lead_hours, digest_weekly, digest_daily, telegram_quiet_nights)
    values (coach, coalesce(v_hours, 12), coalesce(v_weekly, true), coalesce(v_daily, false), coalesce(v_quiet, false))
    on conflict (coach_id) do update
    set hot_lead_hours = coalesce(v_hours, n.hot_lead_hours),
        digest_weekly = coalesce(v_weekly, n.digest_weekly),
        digest_daily = coalesce(v_daily, n.digest_daily),
        telegram_quiet_nights = coalesce(v_quiet, n.telegram_quiet_nights);
end;
$$;

comment on function private.save_notification_settings(jsonb) is
    'Writes the caller''s own notification settings (security definer: API roles have no right on private.coach_notification_settings; acts on auth.uid() only). Every field is checked before anything is written; absent or null fields keep their value. Errors: 42501 the caller is not a signed-in coach, 22023 ''invalid field "<name>": <problem>''.';

revoke execute on function private.save_notification_settings(jsonb) from public;
grant execute on function private.save_notification_settings(jsonb) to authenticated;

create or replace function public.update_notification_settings(settings jsonb)
returns jsonb
language sql
volatile
security invoker
set search_path = ''
begin atomic
    select private.save_notification_settings(update_notification_settings.settings);
    select public.get_notification_settings();
end;

comment on function public.update_notification_settings(jsonb) is
    'Changes the signed-in coach''s own notification settings and returns them as get_notification_settings() does. settings is a JSON object with any of: hot_lead_hours (whole hours, 1 to 168), digest_weekly, digest_daily, telegram_quiet_nights (true or false). Absent or null fields are kept; nothing is written unless every field is valid. Errors (HTTP 400/403): 22023 ''invalid field "<name>": <problem>'' naming the field, an unknown field included; 42501 the caller is not a signed-in coach.';

revoke execute on function public.update_notification_settings(jsonb) from public, anon, service_role;
grant execute on function public.update_notification_settings(jsonb) to authenticated;
