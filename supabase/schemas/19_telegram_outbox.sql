-- Hot leads to Telegram: the outbox of messages, one per lead and event, drained by the send-telegram function.

create table private.telegram_outbox (
    id bigint not null,
    coach_id uuid not null,
    lead_id uuid not null,
    event text not null,
    occurred_at timestamptz not null,
    status text not null default 'pending',
    attempts integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    claim_token uuid,
    lease_until timestamptz,
    sent_at timestamptz,
    telegram_message_id bigint,
    last_error text,
    created_at timestamptz not null default now(),
    constraint telegram_outbox_event_valid check (event in ('qualified', 'call_booked')),
    constraint telegram_outbox_status_valid check (status in ('pending', 'claimed', 'sent', 'given_up')),
    constraint telegram_outbox_claim_has_lease check (status <> 'claimed' or (claim_token is not null and lease_until is not null)),
    constraint telegram_outbox_pkey primary key (id),
    constraint telegram_outbox_lead_id_event_key unique (lead_id, event),
    constraint telegram_outbox_lead_fkey foreign key (lead_id, coach_id) references public.leads (id, coach_id) on delete cascade
);

alter table private.telegram_outbox alter column id add generated always as identity (
    sequence name private.telegram_outbox_id_seq
    start with 1
    increment by 1
    no minvalue
    no maxvalue
    cache 1
);

comment on table private.telegram_outbox is
    'Hot-lead messages to Telegram, one per lead and event (a lead that became qualified, a lead that booked a call), queued by a trigger on lead_status_events for coaches with a connected bot, and sent by the send-telegram edge function: claimed by one run at a time (a lease), then sent, or retried with backoff, or given up (docs/deployment.md, "Hot leads to Telegram").';
comment on column private.telegram_outbox.id is 'Identity.';
comment on column private.telegram_outbox.coach_id is 'The coach whose bot sends it.';
comment on column private.telegram_outbox.lead_id is 'The lead it is about.';
comment on column private.telegram_outbox.event is 'qualified (the lead became qualified) or call_booked (the lead booked a call).';
comment on column private.telegram_outbox.occurred_at is 'When the lead reached that status (lead_status_events.changed_at).';
comment on column private.telegram_outbox.status is 'pending (to send from next_attempt_at), claimed (a run is sending it until lease_until), sent, or given_up (too many failures, a message Telegram refuses, or the token was revoked: last_error says which).';
comment on column private.telegram_outbox.attempts is 'How many times it was claimed.';
comment on column private.telegram_outbox.next_attempt_at is 'Not sent before this time: the backoff after a failure (30 s, 1, 2, 4 … minutes, at most an hour, or Telegram''s retry_after).';
comment on column private.telegram_outbox.claim_token is 'The token of the run that holds or held the claim; only that run can mark it sent or failed.';
comment on column private.telegram_outbox.lease_until is 'Until when the claim holds; past it another run may claim it again (the run that held it crashed).';
comment on column private.telegram_outbox.sent_at is 'When Telegram accepted it.';
comment on column private.telegram_outbox.telegram_message_id is 'The message_id Telegram gave it.';
comment on column private.telegram_outbox.last_error is 'The last failure (Telegram''s error_code and description, or the network error).';
comment on column private.telegram_outbox.created_at is 'When it was queued.';

create index telegram_outbox_due_idx on private.telegram_outbox (next_attempt_at) where status in ('pending', 'claimed');
create index telegram_outbox_coach_id_idx on private.telegram_outbox (coach_id);
