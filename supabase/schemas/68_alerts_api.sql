-- Alerts through the API: a coach's active alerts, dismissing one, the admin's list of silent coaches, and the
-- notification settings.

create or replace function private.alerts(coach_id uuid)
returns table(key text, severity text, message text, numbers jsonb, link text, fingerprint text, raised_at timestamp with time zone, updated_at timestamp with time zone)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
    perform private.check_coach_access(alerts.coach_id);
    return query
    select a.key, a.severity, a.message, a.numbers, a.link, a.fingerprint, a.raised_at, a.updated_at
    from private.coach_alerts as a
    where a.coach_id = alerts.coach_id
        and not exists (
            select 1 from private.alert_dismissals as d
            where d.coach_id = a.coach_id and d.key = a.key and d.fingerprint = a.fingerprint)
    order by case a.severity when 'critical' then 1 when 'warning' then 2 else 3 end, a.raised_at, a.key;
end;
$$;

comment on function private.alerts(uuid) is
    'The rows of public.get_alerts. Security definer (the alerts live in private): checks the caller with private.check_coach_access (22004, 42501, PT404).';

revoke execute on function private.alerts(uuid) from public;
grant execute on function private.alerts(uuid) to authenticated, service_role;

create or replace function public.get_alerts(coach_id uuid default auth.uid())
returns table(key text, severity text, message text, numbers jsonb, link text, fingerprint text, raised_at timestamp with time zone, updated_at timestamp with time zone)
language sql
stable
security invoker
set search_path = ''
begin atomic
    select a.key, a.severity, a.message, a.numbers, a.link, a.fingerprint, a.raised_at, a.updated_at
    from private.alerts(get_alerts.coach_id) as a;
end;

comment on function public.get_alerts(uuid) is
    'The active alerts of a coach (default: the caller), most severe first (critical, warning, info), without those the coach dismissed while unchanged: key (no_data, reply_rate_drop, hot_leads, calls_today), severity, message (French), numbers (JSON), link (a dashboard path or an https URL where to act), fingerprint (what dismiss_alert takes), raised_at, updated_at. Kept by the KPI upkeep: at most about a minute old. Rules and thresholds: docs/kpis.md, "Alerts". Errors: 22004 no coach id, 42501 another coach''s id (admins may ask for any coach), PT404 unknown coach (HTTP 404).';

revoke execute on function public.get_alerts(uuid) from public, anon;
grant execute on function public.get_alerts(uuid) to authenticated, service_role;

create or replace function private.dismiss_alert(alert_key text, fingerprint text)
returns boolean
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    coach uuid := auth.uid();
begin
    if coach is null or not exists (select 1 from public.coachs as c where c.id = coach) then
        raise exception 'permission denied: only a signed-in coach can dismiss its alerts' using errcode = '42501';
    end if;
    if alert_key is null or alert_key not in ('no_data', 'reply_rate_drop', 'hot_leads', 'calls_today') then
        raise exception 'invalid parameter "alert_key": must be one of no_data, reply_rate_drop, hot_leads, calls_today'
            using errcode = '22023';
    end if;
    if fingerprint is null or btrim(fingerprint) = '' or char_length(fingerprint) > 200 then
        raise exception 'invalid parameter "fingerprint": must be the fingerprint get_alerts returned for the alert (1 to 200 characters)'
            using errcode = '22023';
    end if;
    insert into private.alert_dismissals as d (coach_id, key, fingerprint)
    values (coach, alert_key, fingerprint)
    on conflict (coach_id, key) do update set fingerprint = excluded.fingerprint, dismissed_at = now();
    return exists (
        select 1 from private.coach_alerts as a
        where a.coach_id = coach and a.key = alert_key and a.fingerprint = dismiss_alert.fingerprint);
end;
$$;

comment on function private.dismiss_alert(text, text) is
    'Records that the signed-in coach dismissed the alert alert_key as it was at fingerprint (security definer: API roles have no right on private.alert_dismissals; acts on auth.uid() only). Errors: 42501 not a signed-in coach, 22023 an unknown key or a missing fingerprint.';

revoke execute on function private.dismiss_alert(text, text) from public;
grant execute on function private.dismiss_alert(text, text) to authenticated;

create or replace function public.dismiss_alert(alert_key text, fingerprint text)
returns boolean
language sql
volatile
security invoker
set search_path = ''
begin atomic
    select private.dismiss_alert(dismiss_alert.alert_key, dismiss_alert.fingerprint);
end;

comment on function public.dismiss_alert(text, text) is
    'Hides one of the signed-in coach''s alerts until it changes: alert_key and the fingerprint get_alerts returned. The alert shows again as soon as its fingerprint changes (new data, another lead waiting, another day). Returns true when that is the alert active now (false: it changed or cleared meanwhile; the dismissal is kept). Errors (HTTP 400/403): 22023 ''invalid parameter "alert_key": …'' or ''invalid parameter "fingerprint": …'', 42501 the caller is not a signed-in coach (an admin''s view is read-only).';

revoke execute on function public.dismiss_alert(text, text) from public, anon, service_role;
grant execute on function public.dismiss_alert(text, text) to authenticated;

create or replace function private.no_data_alerts()
returns table(coach_id uuid, name text, email text, timezone text, last_message_at timestamp with time zone, message text, numbers jsonb, raised_at timestamp with time zone)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
    if coalesce(nullif(current_setting('role', true), ''), 'none') in ('anon', 'authenticated')
        and not public.is_admin() then
        raise exception 'permission denied: only an admin can list the coaches'' alerts' using errcode = '42501';
    end if;
    return query
    select c.id, c.name, c.email, c.timezone, (a.numbers ->> 'last_message_at')::timestamptz, a.message, a.numbers,
        a.raised_at
    from private.coach_alerts as a
    join public.coachs as c on c.id = a.coach_id
    where a.key = 'no_data'
    order by a.numbers ->> 'last_message_at', c.id;
end;
$$;

comment on function private.no_data_alerts() is
    'The rows of public.list_no_data_alerts. Security definer (the alerts live in private): admins and non-API roles only (42501).';

revoke execute on function private.no_data_alerts() from public;
grant execute on function private.no_data_alerts() to authenticated, service_role;

create or replace function public.list_no_data_alerts()
returns table(coach_id uuid, name text, email text, timezone text, last_message_at timestamp with time zone, message text, numbers jsonb, raised_at timestamp with time zone)
language sql
stable
security invoker
set search_path = ''
begin atomic
    select a.coach_id, a.name, a.email, a.timezone, a.last_message_at, a.message, a.numbers, a.raised_at
    from private.no_data_alerts() as a;
end;

comment on function public.list_no_data_alerts() is
    'Every coach whose data stopped arriving (its no_data alert is active, whatever the coach dismissed), longest silence first: coach_id, name, email, timezone, last_message_at, message ("Aucune donnée reçue depuis …"), numbers, raised_at. For the admin page. Admins (app_metadata.role) and the service role only; errors: 42501 any other caller.';

revoke execute on function public.list_no_data_alerts() from public, anon;
grant execute on function public.list_no_data_alerts() to authenticated, service_role;

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
