-- Digest emails: the ledger that makes each coach's digest of a period go out once (claim, lease, sent).

create table private.digest_ledger (
    coach_id uuid not null,
    kind text not null,
    period_key text not null,
    period_start date not null,
    period_end date not null,
    status text not null,
    claim_token uuid,
    lease_until timestamptz,
    attempts integer not null default 0,
    claimed_at timestamptz,
    sent_at timestamptz,
    message_id text,
    last_error text,
    created_at timestamptz not null default now(),
    constraint digest_ledger_kind_valid check (kind in ('weekly', 'daily')),
    constraint digest_ledger_status_valid check (status in ('claimed', 'sent', 'failed')),
    constraint digest_ledger_claim_has_lease check (status <> 'claimed' or (claim_token is not null and lease_until is not null)),
    constraint digest_ledger_period_valid check (period_end >= period_start),
    constraint digest_ledger_pkey primary key (coach_id, kind, period_key),
    constraint digest_ledger_coach_id_fkey foreign key (coach_id) references public.coachs(id) on delete cascade
);

comment on table private.digest_ledger is
    'One row per coach, kind and period of digest email: claimed by one run of the send-digests function at a time (a lease), then sent or failed. The guarantee it gives is in docs/deployment.md ("Digest emails").';
comment on column private.digest_ledger.coach_id is 'The coach the digest is for.';
comment on column private.digest_ledger.kind is 'weekly (the ISO week before the Monday it is sent) or daily (the day before).';
comment on column private.digest_ledger.period_key is 'The period: an ISO week YYYY-Www (weekly) or a day YYYY-MM-DD (daily).';
comment on column private.digest_ledger.period_start is 'First local day of the period.';
comment on column private.digest_ledger.period_end is 'Last local day of the period.';
comment on column private.digest_ledger.status is 'claimed (a run is sending it until lease_until), sent, or failed (the next run tries again, at most private.digest_max_attempts() times).';
comment on column private.digest_ledger.claim_token is 'The token of the run that holds or held the claim; only that run can mark the row sent or failed.';
comment on column private.digest_ledger.lease_until is 'Until when the claim holds; past it another run may claim the row again (the run that held it crashed or hangs).';
comment on column private.digest_ledger.attempts is 'How many times the row was claimed.';
comment on column private.digest_ledger.claimed_at is 'When it was last claimed.';
comment on column private.digest_ledger.sent_at is 'When the SMTP server accepted the email.';
comment on column private.digest_ledger.message_id is 'The Message-ID of the email sent (the same for every attempt of the row).';
comment on column private.digest_ledger.last_error is 'The last failure (SMTP or content), for the operator.';
comment on column private.digest_ledger.created_at is 'When the row was first claimed.';
