-- Purpose: a lead that becomes qualified or books a call queues one Telegram message (trigger lead_status_events_telegram_enqueue) for coaches with a connected bot.

set lock_timeout = '500ms';

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
