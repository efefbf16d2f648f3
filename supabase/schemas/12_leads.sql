-- Leads: Instagram prospects of one coach, written by n8n.

create table public.leads (
    id uuid default gen_random_uuid() not null,
    coach_id uuid not null,
    user_id_instagram text not null,
    first_name text,
    last_name text,
    email text,
    age integer,
    gender text,
    job_title text,
    lead_status text,
    source text,
    created_at timestamp with time zone default now() not null,
    updated_at timestamp with time zone default now() not null,
    contact_id text,
    instagram_username text,
    status text default 'new'::text not null,
    status_changed_at timestamp with time zone not null,
    lost_reason text,
    total_messages_sent integer default 0 not null,
    total_messages_received integer default 0 not null,
    time_to_action_minutes integer,
    deal_value numeric(12,2),
    lead_magnet_sent_at timestamp with time zone,
    call_showed boolean,
    last_contact_at timestamp with time zone,
    constraint leads_age_range check (age is null or age between 13 and 100),
    constraint leads_counters_positive check (total_messages_sent >= 0 and total_messages_received >= 0),
    constraint leads_deal_value_positive check (deal_value is null or deal_value >= 0),
    constraint leads_email_format check (email is null or email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'),
    constraint leads_gender_valid check (gender is null or gender in ('male', 'female', 'other')),
    constraint leads_instagram_id_present check (user_id_instagram is not null and char_length(user_id_instagram) between 1 and 100),
    constraint leads_lost_reason_valid check (lost_reason is null or lost_reason in ('price', 'time', 'already_tried', 'hesitation', 'other')),
    constraint leads_status_valid check (status in ('new', 'engaged', 'qualified', 'call_proposed', 'call_booked', 'won', 'lost', 'relance')),
    constraint leads_text_lengths check (char_length(coalesce(first_name, '')) <= 200 and char_length(coalesce(last_name, '')) <= 200 and char_length(coalesce(job_title, '')) <= 200 and char_length(coalesce(source, '')) <= 100 and char_length(coalesce(instagram_username, '')) <= 100 and char_length(coalesce(contact_id, '')) <= 100),
    constraint leads_time_to_action_positive check (time_to_action_minutes is null or time_to_action_minutes >= 0),
    constraint leads_id_coach_id_key unique (id, coach_id),
    constraint leads_pkey primary key (id),
    constraint leads_user_id_instagram_key unique (user_id_instagram),
    constraint leads_coach_id_fkey foreign key (coach_id) references public.coachs(id) on delete cascade
);

alter table public.leads enable row level security;

create policy leads_select_authenticated on public.leads
    for select to authenticated
    using (coach_id = (select auth.uid()) or (select public.is_admin()));

grant select, insert, update, delete, references, trigger on table public.leads to anon, authenticated;
grant all on table public.leads to service_role;

comment on table public.leads is
    'An Instagram prospect talking to one coach''s AI setter. Written by n8n (service_role); read-only for coaches.';
comment on column public.leads.id is 'Primary key.';
comment on column public.leads.coach_id is 'The coach this lead belongs to.';
comment on column public.leads.user_id_instagram is 'Instagram user id (scoped to the coach''s account); the lead''s identity for n8n. Unique.';
comment on column public.leads.first_name is 'First name.';
comment on column public.leads.last_name is 'Last name.';
comment on column public.leads.email is 'Email captured in the conversation, if any.';
comment on column public.leads.age is 'Age in years (13 to 100).';
comment on column public.leads.gender is 'male, female or other; null when unknown.';
comment on column public.leads.job_title is 'Job title as given; KPIs normalize it (trimmed, case-folded).';
comment on column public.leads.lead_status is 'Legacy free-text status of the brief''s original schema, kept unchanged; status is the normalized one.';
comment on column public.leads.source is 'Where the lead came from (story, post, keyword, dm_organique, ...).';
comment on column public.leads.created_at is 'When the lead first appeared.';
comment on column public.leads.updated_at is 'Last update, maintained by trigger.';
comment on column public.leads.contact_id is 'ManyChat contact (subscriber) id.';
comment on column public.leads.instagram_username is 'Instagram @username, shown in the follow-up list.';
comment on column public.leads.status is 'Current pipeline status: new, engaged, qualified, call_proposed, call_booked, won, lost or relance. History in lead_status_events.';
comment on column public.leads.status_changed_at is 'When status last changed (set by the writer with the event time, else by trigger to now()).';
comment on column public.leads.lost_reason is 'Why a lost lead was lost: price, time, already_tried, hesitation or other.';
comment on column public.leads.total_messages_sent is 'Outbound messages to this lead; maintained by trigger from messages.';
comment on column public.leads.total_messages_received is 'Inbound messages from this lead; maintained by trigger from messages.';
comment on column public.leads.time_to_action_minutes is 'Minutes from first contact to the lead''s conversion action, when known.';
comment on column public.leads.deal_value is 'Value of the deal when won, in the coach''s currency.';
comment on column public.leads.lead_magnet_sent_at is 'When a lead magnet was sent to the lead.';
comment on column public.leads.call_showed is 'Whether the lead showed up to the booked call; null while unknown.';
comment on column public.leads.last_contact_at is 'Time of the latest message either way; maintained by trigger from messages.';

create index leads_coach_id_created_at_idx on public.leads (coach_id, created_at);
create index leads_coach_id_status_idx on public.leads (coach_id, status);

create trigger leads_set_updated_at
    before update on public.leads
    for each row execute function private.set_updated_at();
