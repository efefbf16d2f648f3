-- Purpose: validates the source, kind and details checks of lead_status_events added NOT VALID by the previous migration (a scan that blocks no writer).

set lock_timeout = '500ms';

alter table public.lead_status_events validate constraint lead_status_events_source_valid;
alter table public.lead_status_events validate constraint lead_status_events_kind_valid;
alter table public.lead_status_events validate constraint lead_status_events_details_object;
