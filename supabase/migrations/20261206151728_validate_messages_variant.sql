-- Purpose: the check of messages.variant validated, in its own migration: VALIDATE takes SHARE UPDATE EXCLUSIVE, so reads and writes go on while it scans.

set lock_timeout = '500ms';

alter table public.messages validate constraint messages_variant_valid;
