-- Purpose: the leads table (one Instagram prospect of one coach), created or upgraded in place from the legacy schema.

-- Legacy shape of the brief: lead_status but no status. Upgraded in place, never recreated.
create table if not exists public.leads (
    id uuid primary key default gen_random_uuid(),
    coach_id uuid not null references public.coachs (id) on delete cascade,
    user_id_instagram text not null unique,
    first_name text,
    last_name text,
    email text,
    age integer,
    gender text,
    job_title text,
    lead_status text,
    source text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

alter table public.leads
    add column if not exists contact_id text,
    add column if not exists instagram_username text,
    add column if not exists status text not null default 'new',
    add column if not exists status_changed_at timestamptz,
    add column if not exists lost_reason text,
    add column if not exists total_messages_sent integer not null default 0,
    add column if not exists total_messages_received integer not null default 0,
    add column if not exists time_to_action_minutes integer,
    add column if not exists deal_value numeric(12, 2),
    add column if not exists lead_magnet_sent_at timestamptz,
    add column if not exists call_showed boolean,
    add column if not exists last_contact_at timestamptz,
    add column if not exists lead_status text,
    add column if not exists updated_at timestamptz not null default now();

-- Backfill the normalized status from the legacy free-text lead_status (kept as is: nothing is lost).
update public.leads
set status = case lower(btrim(lead_status))
        when 'new' then 'new' when 'nouveau' then 'new'
        when 'engaged' then 'engaged' when 'engagé' then 'engaged' when 'engage' then 'engaged'
        when 'en discussion' then 'engaged' when 'contacted' then 'engaged' when 'contacté' then 'engaged'
        when 'qualified' then 'qualified' when 'qualifié' then 'qualified' when 'qualifie' then 'qualified'
        when 'call_proposed' then 'call_proposed' when 'call proposé' then 'call_proposed'
        when 'call_booked' then 'call_booked' when 'call réservé' then 'call_booked' when 'booked' then 'call_booked'
        when 'won' then 'won' when 'gagné' then 'won' when 'gagne' then 'won' when 'client' then 'won'
        when 'lost' then 'lost' when 'perdu' then 'lost'
        when 'relance' then 'relance' when 'à relancer' then 'relance' when 'follow_up' then 'relance'
        else 'new'
    end
where lead_status is not null;

-- Normalize legacy gender spellings to the three values the KPIs count.
update public.leads
set gender = case
        when lower(btrim(gender)) in ('male', 'm', 'h', 'homme', 'man') then 'male'
        when lower(btrim(gender)) in ('female', 'f', 'femme', 'woman') then 'female'
        when btrim(gender) = '' then null
        else 'other'
    end
where gender is not null and gender not in ('male', 'female', 'other');

update public.leads
set status_changed_at = coalesce(updated_at, created_at)
where status_changed_at is null;

-- No default: a trigger fills it from created_at on insert and from now() on a status change.
alter table public.leads
    alter column status_changed_at set not null;

-- Legacy values the new checks reject are moved to private.legacy_values (nothing is lost), then the checks hold
-- for every row.
select private.quarantine_legacy_values('public.leads', 'age', 't.age not between 13 and 100');
select private.quarantine_legacy_values('public.leads', 'time_to_action_minutes', 't.time_to_action_minutes < 0');
select private.quarantine_legacy_values('public.leads', 'deal_value', 't.deal_value < 0');
select private.quarantine_legacy_values('public.leads', 'email',
    $$t.email !~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'$$);
select private.quarantine_legacy_values('public.leads', 'user_id_instagram',
    't.user_id_instagram is null or char_length(t.user_id_instagram) not between 1 and 100', $$'legacy:' || t.id$$);
select private.quarantine_legacy_values('public.leads', c, format('char_length(t.%I) > %s', c, n), format('left(t.%I, %s)', c, n))
from (values ('first_name', 200), ('last_name', 200), ('job_title', 200), ('source', 100), ('contact_id', 100)) as v (c, n);
-- A lead without a coach belongs to nobody: it leaves the table (with its messages), kept whole in legacy_values.
select private.quarantine_legacy_rows('public.messages',
    't.lead_id in (select l.id from public.leads as l where l.coach_id is null)')
where to_regclass('public.messages') is not null;
select private.quarantine_legacy_rows('public.leads', 't.coach_id is null');

alter table public.leads
    add constraint leads_status_valid check (
        status in ('new', 'engaged', 'qualified', 'call_proposed', 'call_booked', 'won', 'lost', 'relance')
    ),
    add constraint leads_lost_reason_valid check (
        lost_reason is null or lost_reason in ('price', 'time', 'already_tried', 'hesitation', 'other')
    ),
    add constraint leads_gender_valid check (gender is null or gender in ('male', 'female', 'other')),
    add constraint leads_age_range check (age is null or age between 13 and 100),
    add constraint leads_instagram_id_present check (
        user_id_instagram is not null and char_length(user_id_instagram) between 1 and 100
    ),
    add constraint leads_counters_positive check (total_messages_sent >= 0 and total_messages_received >= 0),
    add constraint leads_time_to_action_positive check (time_to_action_minutes is null or time_to_action_minutes >= 0),
    add constraint leads_deal_value_positive check (deal_value is null or deal_value >= 0),
    add constraint leads_email_format check (email is null or email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'),
    add constraint leads_text_lengths check (
        char_length(coalesce(first_name, '')) <= 200
        and char_length(coalesce(last_name, '')) <= 200
        and char_length(coalesce(job_title, '')) <= 200
        and char_length(coalesce(source, '')) <= 100
        and char_length(coalesce(instagram_username, '')) <= 100
        and char_length(coalesce(contact_id, '')) <= 100
    ),
    -- Lets messages, sequences and status events reference (lead, coach) together, so a row can never
    -- pair a lead with another coach.
    add constraint leads_id_coach_id_key unique (id, coach_id);

alter table public.leads
    alter column coach_id set not null,
    alter column user_id_instagram set not null;

create index if not exists leads_coach_id_created_at_idx on public.leads (coach_id, created_at);
create index if not exists leads_coach_id_status_idx on public.leads (coach_id, status);

create trigger leads_set_updated_at
    before update on public.leads
    for each row execute function private.set_updated_at();

alter table public.leads enable row level security;

-- One policy per command and role: a coach reads its own rows, an admin (app_metadata) reads all.
create policy leads_select_authenticated on public.leads
    for select to authenticated
    using (coach_id = (select auth.uid()) or (select public.is_admin()));

comment on table public.leads is
    'An Instagram prospect talking to one coach''s AI setter. Written by n8n (service_role); read-only for coaches.';
comment on column public.leads.id is 'Primary key.';
comment on column public.leads.coach_id is 'The coach this lead belongs to.';
comment on column public.leads.user_id_instagram is 'Instagram user id (scoped to the coach''s account); the lead''s identity for n8n. Unique.';
comment on column public.leads.contact_id is 'ManyChat contact (subscriber) id.';
comment on column public.leads.instagram_username is 'Instagram @username, shown in the follow-up list.';
comment on column public.leads.first_name is 'First name.';
comment on column public.leads.last_name is 'Last name.';
comment on column public.leads.email is 'Email captured in the conversation, if any.';
comment on column public.leads.age is 'Age in years (13 to 100).';
comment on column public.leads.gender is 'male, female or other; null when unknown.';
comment on column public.leads.job_title is 'Job title as given; KPIs normalize it (trimmed, case-folded).';
comment on column public.leads.lead_status is 'Legacy free-text status of the brief''s original schema, kept unchanged; status is the normalized one.';
comment on column public.leads.status is 'Current pipeline status: new, engaged, qualified, call_proposed, call_booked, won, lost or relance. History in lead_status_events.';
comment on column public.leads.status_changed_at is 'When status last changed (set by the writer with the event time, else by trigger to now()).';
comment on column public.leads.lost_reason is 'Why a lost lead was lost: price, time, already_tried, hesitation or other.';
comment on column public.leads.source is 'Where the lead came from (story, post, keyword, dm_organique, ...).';
comment on column public.leads.total_messages_sent is 'Outbound messages to this lead; maintained by trigger from messages.';
comment on column public.leads.total_messages_received is 'Inbound messages from this lead; maintained by trigger from messages.';
comment on column public.leads.time_to_action_minutes is 'Minutes from first contact to the lead''s conversion action, when known.';
comment on column public.leads.deal_value is 'Value of the deal when won, in the coach''s currency.';
comment on column public.leads.lead_magnet_sent_at is 'When a lead magnet was sent to the lead.';
comment on column public.leads.call_showed is 'Whether the lead showed up to the booked call; null while unknown.';
comment on column public.leads.last_contact_at is 'Time of the latest message either way; maintained by trigger from messages.';
comment on column public.leads.created_at is 'When the lead first appeared.';
comment on column public.leads.updated_at is 'Last update, maintained by trigger.';
