-- Hot leads to Telegram: the outbox's queueing trigger, what a message says, the claim / sent / failed steps the
-- send-telegram edge function calls (SUPABASE_DB_URL), and connecting or disconnecting a bot.

create or replace function private.telegram_max_attempts()
returns integer
language sql
immutable
security invoker
set search_path = ''
as $$
    select 8;
$$;

comment on function private.telegram_max_attempts() is
    'How many times a Telegram message is claimed at most: after that many failures it is given up (private.telegram_outbox.last_error says why).';

revoke execute on function private.telegram_max_attempts() from public;

create or replace function private.telegram_enqueue()
returns trigger
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
    insert into private.telegram_outbox (coach_id, lead_id, event, occurred_at)
    select distinct on (n.lead_id, n.to_status) n.coach_id, n.lead_id, n.to_status, n.changed_at
    from new_rows as n
    where n.kind = 'status'
        and n.to_status in ('qualified', 'call_booked')
        and n.changed_at > now() - interval '1 day'
        and exists (select 1 from private.coach_telegram as t where t.coach_id = n.coach_id and t.revoked_at is null)
    order by n.lead_id, n.to_status, n.changed_at
    on conflict on constraint telegram_outbox_lead_id_event_key do nothing;
    return null;
end;
$$;

comment on function private.telegram_enqueue() is
    'Statement trigger function on lead_status_events: queues one Telegram message per lead and event in private.telegram_outbox when a lead becomes qualified or books a call (a status event of the last 24 hours: replayed history does not notify), for coaches with a connected bot whose token works. A second event of the same kind for the same lead queues nothing.';

revoke execute on function private.telegram_enqueue() from public;

create trigger lead_status_events_telegram_enqueue
    after insert on public.lead_status_events referencing new table as new_rows
    for each statement execute function private.telegram_enqueue();

create or replace function private.telegram_text(target_lead uuid, lead_event text)
returns text
language sql
stable
security invoker
set search_path = ''
as $$
    select case lead_event when 'qualified' then '🔥 Lead qualifié : ' else '📅 Call réservé : ' end
        || private.alert_lead_name(l.first_name, l.instagram_username)
        || case when nullif(btrim(l.first_name), '') is not null and nullif(btrim(l.instagram_username), '') is not null
            then ' (@' || btrim(l.instagram_username) || ')' else '' end
        || case when lead_event = 'call_booked' and l.call_at is not null
            then E'\nCall le ' || to_char(l.call_at at time zone c.timezone, 'DD/MM à HH24:MI') else '' end
        || coalesce(E'\nDernier message : « ' || (
            select case when char_length(m.text) > 300 then left(m.text, 299) || '…' else m.text end
            from public.messages as m
            where m.lead_id = l.id and m.coach_id = l.coach_id and m.direction = 'in' and nullif(btrim(m.text), '') is not null
            order by m.created_at desc
            limit 1) || ' »', '')
        || coalesce(E'\nhttps://www.instagram.com/' || nullif(btrim(l.instagram_username), '') || '/', '')
    from public.leads as l
    join public.coachs as c on c.id = l.coach_id
    where l.id = target_lead;
$$;

comment on function private.telegram_text(uuid, text) is
    'The French text of a hot-lead message: the event (lead qualifié / call réservé, with the call''s local time when Calendly gave it), the lead''s name and @username, what the lead said last (cut to 300 characters) and its Instagram link. Plain text (no parse_mode).';

revoke execute on function private.telegram_text(uuid, text) from public;

create or replace function private.telegram_claim(at timestamptz, max_rows integer default 20, lease_seconds integer default 60)
returns table(id bigint, claim_token uuid, coach_id uuid, lead_id uuid, event text, bot_token text, chat_id text, text text)
language sql
volatile
security invoker
set search_path = ''
as $$
    with c as (
        select o.id
        from private.telegram_outbox as o
        join private.coach_telegram as t on t.coach_id = o.coach_id and t.revoked_at is null
        join public.coachs as x on x.id = o.coach_id
        left join private.coach_notification_settings as n on n.coach_id = o.coach_id
        where o.status in ('pending', 'claimed')
            and case o.status when 'pending' then o.next_attempt_at else o.lease_until end <= at
            -- quiet nights: nothing from 22:00 to 8:00 in the coach's time zone
            and not (coalesce(n.telegram_quiet_nights, false)
                and extract(hour from at at time zone x.timezone) not between 8 and 21)
        order by o.next_attempt_at, o.id
        limit max_rows
        for update of o skip locked
    ), u as (
        update private.telegram_outbox as o
        set status = 'claimed', claim_token = gen_random_uuid(), lease_until = at + make_interval(secs => lease_seconds),
            attempts = o.attempts + 1
        from c
        where o.id = c.id
        returning o.id, o.claim_token, o.coach_id, o.lead_id, o.event
    )
    select u.id, u.claim_token, u.coach_id, u.lead_id, u.event, t.bot_token, t.chat_id, private.telegram_text(u.lead_id, u.event)
    from u
    join private.coach_telegram as t on t.coach_id = u.coach_id
    order by u.id;
$$;

comment on function private.telegram_claim(timestamptz, integer, integer) is
    'Claims up to max_rows Telegram messages due at instant at (pending from next_attempt_at, or claimed by a run whose lease ran out) for lease_seconds, with the bot and the text to send; leaves out revoked bots, and the coaches with quiet nights between 22:00 and 8:00 in their time zone. Rows another claimer holds are skipped (for update skip locked): two concurrent claimers never get the same row. Run it in its own transaction, committed before sending.';

revoke execute on function private.telegram_claim(timestamptz, integer, integer) from public;

create or replace function private.telegram_mark_sent(outbox_id bigint, token uuid, message_id bigint)
returns boolean
language sql
volatile
security invoker
set search_path = ''
as $$
    with o as (
        update private.telegram_outbox as o
        set status = 'sent', sent_at = clock_timestamp(), telegram_message_id = message_id, lease_until = null
        where o.id = outbox_id and o.claim_token = token and o.status = 'claimed'
        returning o.coach_id
    ), t as (
        update private.coach_telegram as t set last_sent_at = clock_timestamp()
        from o
        where t.coach_id = o.coach_id
    )
    select true from o;
$$;

comment on function private.telegram_mark_sent(bigint, uuid, bigint) is
    'Records that the run holding the claim token sent the message (Telegram answered ok with message_id), and the bot''s last_sent_at. Returns true, or null when that run no longer holds the claim.';

revoke execute on function private.telegram_mark_sent(bigint, uuid, bigint) from public;

create or replace function private.telegram_mark_failed(outbox_id bigint, token uuid, error_code integer, description text,
    retry_after integer default null)
returns text
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
    claimed private.telegram_outbox;
    error text := left(concat_ws(' ', error_code, coalesce(description, 'erreur inconnue')), 500);
    outcome text;
begin
    select * into claimed from private.telegram_outbox as o
    where o.id = outbox_id and o.claim_token = token and o.status = 'claimed'
    for update;
    if not found then
        return null;
    end if;
    if error_code = 401 then
        -- the token was revoked: stop every message of this bot until the coach saves a new token
        update private.coach_telegram as t set revoked_at = clock_timestamp(), last_error = error, last_error_at = clock_timestamp()
        where t.coach_id = claimed.coach_id;
        update private.telegram_outbox as o set status = 'given_up', lease_until = null, last_error = error
        where o.coach_id = claimed.coach_id and o.status in ('pending', 'claimed');
        return 'revoked';
    end if;
    -- 400 (chat not found, bad request) and 403 (the bot was blocked, kicked): Telegram refuses this message for good
    outcome := case when error_code in (400, 403) or claimed.attempts >= private.telegram_max_attempts() then 'given_up' else 'retry' end;
    update private.telegram_outbox as o
    set status = case outcome when 'retry' then 'pending' else 'given_up' end, lease_until = null, last_error = error,
        next_attempt_at = clock_timestamp() + make_interval(secs => coalesce(retry_after, least(30 * power(2, claimed.attempts - 1), 3600)))
    where o.id = outbox_id;
    update private.coach_telegram as t set last_error = error, last_error_at = clock_timestamp()
    where t.coach_id = claimed.coach_id;
    return outcome;
end;
$$;

comment on function private.telegram_mark_failed(bigint, uuid, integer, text, integer) is
    'Records that the run holding the claim token could not send the message (error_code and description as Telegram answered, null error_code for a network error). 401 (token revoked): the bot is marked revoked and every message of it given up (returns revoked); 400 or 403: given up; otherwise sent again after a backoff (30 s, 1, 2, 4 … minutes, at most an hour; Telegram''s retry_after when given) up to private.telegram_max_attempts() claims (retry, then given_up). The bot''s last_error is set in every case. Returns null when that run no longer holds the claim.';

revoke execute on function private.telegram_mark_failed(bigint, uuid, integer, text, integer) from public;

create or replace function private.telegram_connect(target_coach uuid, token text, chat text)
returns boolean
language sql
volatile
security invoker
set search_path = ''
as $$
    insert into private.coach_telegram as t (coach_id, bot_token, chat_id)
    select c.id, token, chat from public.coachs as c where c.id = target_coach
    on conflict (coach_id) do update
    set bot_token = excluded.bot_token, chat_id = excluded.chat_id, connected_at = now(), revoked_at = null,
        last_error = null, last_error_at = null
    returning true;
$$;

comment on function private.telegram_connect(uuid, text, text) is
    'Connects (or reconnects) a coach''s Telegram bot once Telegram accepted the test message (the telegram-connect edge function): token and chat saved, a revoked state and the last error cleared. Returns true, or null for an unknown coach; 23514 a token or chat id of the wrong shape.';

revoke execute on function private.telegram_connect(uuid, text, text) from public;

create or replace function private.remove_telegram()
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    coach uuid := auth.uid();
begin
    if coach is null or not exists (select 1 from public.coachs as c where c.id = coach) then
        raise exception 'permission denied: only a signed-in coach can change its settings' using errcode = '42501';
    end if;
    delete from private.coach_telegram as t where t.coach_id = coach;
    update private.telegram_outbox as o set status = 'given_up', lease_until = null, last_error = 'bot déconnecté'
    where o.coach_id = coach and o.status in ('pending', 'claimed');
end;
$$;

comment on function private.remove_telegram() is
    'Disconnects the caller''s own Telegram bot (security definer: API roles have no right on private.coach_telegram; acts on auth.uid() only): the token and chat are deleted and the messages not sent yet are given up. Errors: 42501 the caller is not a signed-in coach.';

revoke execute on function private.remove_telegram() from public;
grant execute on function private.remove_telegram() to authenticated;

create or replace function public.disconnect_telegram()
returns jsonb
language sql
volatile
security invoker
set search_path = ''
begin atomic
    select private.remove_telegram();
    select public.get_notification_settings();
end;

comment on function public.disconnect_telegram() is
    'Disconnects the signed-in coach''s Telegram bot (its token and chat are deleted, the hot-lead messages not sent yet are dropped) and returns the settings as get_notification_settings() does (telegram: null). Connecting goes through the telegram-connect edge function, which checks the bot with a test message first. Errors (HTTP 403): 42501 the caller is not a signed-in coach.';

revoke execute on function public.disconnect_telegram() from public, anon, service_role;
grant execute on function public.disconnect_telegram() to authenticated;
