-- Purpose: the outcome fields a coach, Calendly or Stripe record on a lead (meeting time, payment plan, who gave each outcome value, last follow-up by the coach), nullable so no row is rewritten.

set lock_timeout = '500ms';

-- Adding nullable columns without a default only changes the catalog (a brief ACCESS EXCLUSIVE lock, no rewrite).
alter table public.leads
    add column followed_up_at timestamptz,
    add column call_at timestamptz,
    add column payment_plan text,
    add column instalment_count integer,
    add column deal_value_source text,
    add column call_showed_source text,
    add column lost_reason_source text,
    add column outcome_recorded_at timestamptz;

-- Checked for new rows at once, for existing rows by the next migration (VALIDATE, no lock that blocks writers).
alter table public.leads
    add constraint leads_payment_plan_valid check (payment_plan in ('paid_now', 'instalments')) not valid,
    add constraint leads_instalment_count_range check (
        instalment_count is null or (instalment_count between 2 and 60 and payment_plan = 'instalments')) not valid,
    add constraint leads_deal_value_source_valid check (deal_value_source in ('setter', 'coach', 'stripe')) not valid,
    add constraint leads_call_showed_source_valid check (call_showed_source in ('setter', 'coach', 'calendly')) not valid,
    add constraint leads_lost_reason_source_valid check (lost_reason_source in ('setter', 'coach')) not valid;

comment on column public.leads.followed_up_at is 'When the coach last said it contacted the lead itself ("Relancé", public.mark_lead_followed_up); null if never.';
comment on column public.leads.call_at is 'Start time of the lead''s booked call (Calendly''s scheduled event, latest booking not cancelled); null when unknown.';
comment on column public.leads.payment_plan is 'How a won deal is paid, as the coach said: paid_now or instalments; null when not said.';
comment on column public.leads.instalment_count is 'Number of instalments when payment_plan is instalments (2 to 60); null when not said.';
comment on column public.leads.deal_value_source is 'Who gave deal_value: setter (n8n), coach, or stripe (payments less refunds); null without a value. A coach''s or Stripe''s value is not overwritten by n8n.';
comment on column public.leads.call_showed_source is 'Who gave call_showed: setter (n8n), coach or calendly; a coach''s or Calendly''s is not overwritten by n8n.';
comment on column public.leads.lost_reason_source is 'Who gave lost_reason: setter (n8n) or coach; a coach''s is not overwritten by n8n.';
comment on column public.leads.outcome_recorded_at is 'When the coach, Calendly or Stripe last recorded an outcome of this lead (the writers of outcomes stamp it; n8n never does).';
