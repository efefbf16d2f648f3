-- Purpose: n8n cannot overwrite an outcome the coach, Calendly or Stripe recorded on a lead (deal value, call showed, lost reason); the value's source is kept with it.

set lock_timeout = '500ms';

-- The writers of outcomes (the coach's RPCs, the webhooks) stamp leads.outcome_recorded_at in the same update. Any
-- other update that changes an outcome field is n8n's (ingest_lead): it is taken as the setter's value, unless the
-- coach, Calendly or Stripe gave that field, whose value then stays (docs/kpis.md, "Outcomes: who wins").
create or replace function private.keep_outcome_fields()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
begin
    if old.deal_value_source in ('coach', 'stripe') then
        new.deal_value := old.deal_value;
    elsif new.deal_value is distinct from old.deal_value then
        new.deal_value_source := case when new.deal_value is not null then 'setter' end;
    end if;
    if old.call_showed_source in ('coach', 'calendly') then
        new.call_showed := old.call_showed;
    elsif new.call_showed is distinct from old.call_showed then
        new.call_showed_source := case when new.call_showed is not null then 'setter' end;
    end if;
    if old.lost_reason_source = 'coach' then
        new.lost_reason := old.lost_reason;
    elsif new.lost_reason is distinct from old.lost_reason then
        new.lost_reason_source := case when new.lost_reason is not null then 'setter' end;
    end if;
    return new;
end;
$$;

comment on function private.keep_outcome_fields() is
    'Trigger function before an update of leads that changes deal_value, call_showed or lost_reason without stamping outcome_recorded_at (an n8n write): keeps a value the coach, Calendly or Stripe gave, else marks the new value as the setter''s.';

revoke all on function private.keep_outcome_fields() from public, anon, authenticated, service_role;

create trigger leads_keep_outcome_fields
    before update of deal_value, call_showed, lost_reason on public.leads
    for each row
    when (new.outcome_recorded_at is not distinct from old.outcome_recorded_at
        and (new.deal_value, new.call_showed, new.lost_reason) is distinct from (old.deal_value, old.call_showed, old.lost_reason))
    execute function private.keep_outcome_fields();

comment on trigger leads_keep_outcome_fields on public.leads is
    'n8n cannot overwrite the deal value, call showed or lost reason the coach, Calendly or Stripe recorded (private.keep_outcome_fields).';
