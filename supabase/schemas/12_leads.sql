-- Leads: Instagram prospects of one coach, written by n8n.

create table public.leads (
    id uuid not null default gen_random_uuid(),
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
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    contact_id text,
    instagram_username text,
    status text not null default 'new',
    status_changed_at timestamptz not null,
    lost_reason text,
    total_messages_sent integer not null default 0,
    total_messages_received integer not null default 0,
    time_to_action_minutes integer,
    deal_value numeric(12,2),
    lead_magnet_sent_at timestamptz,
    call_showed boolean,
    last_contact_at timestamptz,
    followed_up_at timestamptz,
    call_at timestamptz,
    payment_plan text,
    instalment_count integer,
    deal_value_source text,
    call_showed_source text,
    lost_reason_source text,
    outcome_recorded_at timestamptz,
    constraint leads_age_range check (age is null or age between 13 and 100),
    constraint leads_call_showed_source_valid check (call_showed_source in ('setter', 'coach', 'calendly')),
    constraint leads_counters_positive check (total_messages_sent >= 0 and total_messages_received >= 0),
    constraint leads_deal_value_positive check (deal_value is null or deal_value >= 0),
    constraint leads_deal_value_source_valid check (deal_value_source in ('setter', 'coach', 'stripe')),
    constraint leads_email_format check (email is null or email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'),
    constraint leads_gender_valid check (gender is null or gender in ('male', 'female', 'other')),
    constraint leads_instagram_id_present check (
        user_id_instagram is not null
        and char_length(user_id_instagram) between 1 and 100
    ),
    constraint leads_instalment_count_range check (
        instalment_count is null
        or (instalment_count between 2 and 60 and payment_plan = 'instalments')
    ),
    constraint leads_lost_reason_source_valid check (lost_reason_source in ('setter', 'coach')),
    constraint leads_lost_reason_valid check (
        lost_reason is null
        or lost_reason in ('price', 'time', 'already_tried', 'hesitation', 'other')
    ),
    constraint leads_payment_plan_valid check (payment_plan in ('paid_now', 'instalments')),
    constraint leads_status_valid check (status in ('new', 'engaged', 'qualified', 'call_proposed', 'call_booked', 'won', 'lost', 'relance')),
    constraint leads_text_lengths check (
        char_length(coalesce(first_name, '')) <= 200
        and char_length(coalesce(last_name, '')) <= 200
        and char_length(coalesce(job_title, '')) <= 200
        and char_length(coalesce(source, '')) <= 100
        and char_length(coalesce(instagram_username, '')) <= 100
        and char_length(coalesce(contact_id, '')) <= 100
    ),
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
comment on column public.leads.followed_up_at is 'When the coach last said it contacted the lead itself ("Relancé", public.mark_lead_followed_up); null if never.';
comment on column public.leads.call_at is 'Start time of the lead''s booked call (Calendly''s scheduled event, latest booking not cancelled); null when unknown.';
comment on column public.leads.payment_plan is 'How a won deal is paid, as the coach said: paid_now or instalments; null when not said.';
comment on column public.leads.instalment_count is 'Number of instalments when payment_plan is instalments (2 to 60); null when not said.';
comment on column public.leads.deal_value_source is 'Who gave deal_value: setter (n8n), coach, or stripe (payments less refunds); null without a value. A coach''s or Stripe''s value is not overwritten by n8n.';
comment on column public.leads.call_showed_source is 'Who gave call_showed: setter (n8n), coach or calendly; a coach''s or Calendly''s is not overwritten by n8n.';
comment on column public.leads.lost_reason_source is 'Who gave lost_reason: setter (n8n) or coach; a coach''s is not overwritten by n8n.';
comment on column public.leads.outcome_recorded_at is 'When the coach, Calendly or Stripe last recorded an outcome of this lead (the writers of outcomes stamp it; n8n never does).';

create index leads_coach_id_created_at_idx on public.leads (coach_id, created_at);
create index leads_coach_id_status_idx on public.leads (coach_id, status);
create index leads_coach_id_call_at_idx on public.leads (coach_id, call_at) where call_at is not null;

create trigger leads_set_updated_at
    before update on public.leads
    for each row execute function private.set_updated_at();
