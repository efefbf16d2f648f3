-- Purpose: every entry of a lead's history says where it came from (n8n, the coach, Calendly, Stripe), who made it, what kind of entry it is and its details.

set lock_timeout = '500ms';

-- Constant defaults: catalog-only changes (no rewrite). Every existing entry came from n8n (the ingest path and the
-- legacy backfill), and is a status change.
alter table public.lead_status_events
    add column source text not null default 'n8n',
    add column author_id uuid,
    add column kind text not null default 'status',
    add column details jsonb;

alter table public.lead_status_events
    add constraint lead_status_events_source_valid check (source in ('n8n', 'coach', 'calendly', 'stripe')) not valid,
    add constraint lead_status_events_kind_valid check (kind in ('status', 'call_showed', 'call_no_show',
        'call_no_show_undone', 'call_scheduled', 'followed_up', 'payment', 'refund')) not valid,
    add constraint lead_status_events_details_object check (details is null or jsonb_typeof(details) = 'object') not valid;

comment on column public.lead_status_events.source is 'Where the entry came from: n8n (the setter''s workflow), coach (the dashboard), calendly or stripe (their webhooks).';
comment on column public.lead_status_events.author_id is 'The signed-in user who made the entry (the coach); null for n8n and the webhooks.';
comment on column public.lead_status_events.kind is 'status: a status (from_status -> to_status; the coach''s or Stripe''s won, lost or back to follow-up may repeat the current status, to record their outcome). Otherwise something recorded without a status change, from_status = to_status = the status in effect then: call_showed, call_no_show, call_no_show_undone (Calendly), call_scheduled (a booking of a lead already past call_booked), followed_up (the coach contacted the lead), payment, refund (Stripe).';
comment on column public.lead_status_events.details is 'What was recorded with the entry, e.g. {"deal_value": 1200, "payment_plan": "instalments"}, {"lost_reason": "price"}, {"amount_minor": 40000, "currency": "EUR"}; null for a plain status change.';
