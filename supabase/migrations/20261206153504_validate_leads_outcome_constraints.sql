-- Purpose: validates the outcome constraints of leads added NOT VALID by the previous migration (a scan that blocks no writer).

set lock_timeout = '500ms';

alter table public.leads validate constraint leads_payment_plan_valid;
alter table public.leads validate constraint leads_instalment_count_range;
alter table public.leads validate constraint leads_deal_value_source_valid;
alter table public.leads validate constraint leads_call_showed_source_valid;
alter table public.leads validate constraint leads_lost_reason_source_valid;
