-- Purpose: the lead facts keep who gave the deal value (Stripe, the coach, the setter), so a period's revenue can say where it comes from.

set lock_timeout = '500ms';

-- A nullable column without default: a catalog change only (private.lead_facts is written by the upkeep alone).
alter table private.lead_facts add column deal_value_source text;

comment on column private.lead_facts.deal_value_source is 'leads.deal_value_source: who gave the deal value, stripe, coach or setter (null: setter).';
