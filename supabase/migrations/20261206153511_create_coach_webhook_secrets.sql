-- Purpose: each coach's webhook signing secrets (Stripe, Calendly) in a private table that no API role can read; written through update_coach_settings, never returned.

set lock_timeout = '500ms';

-- private is not exposed by the API and no API role has a grant on this table: the secrets are written by
-- private.save_coach_settings (security definer) and read only by the webhook functions (database connection of the
-- edge runtime). On a hosted project, Supabase Vault is their production home (docs/deployment.md).
create table private.coach_webhook_secrets (
    coach_id uuid primary key references public.coachs (id) on delete cascade,
    stripe_webhook_secret text,
    calendly_signing_key text,
    updated_at timestamptz not null default now(),
    constraint coach_webhook_secrets_lengths check (
        char_length(stripe_webhook_secret) between 8 and 500 and char_length(calendly_signing_key) between 8 and 500)
);

revoke all on table private.coach_webhook_secrets from public, anon, authenticated, service_role;

comment on table private.coach_webhook_secrets is
    'Webhook signing secrets of each coach (update_coach_settings keys stripe_webhook_secret and calendly_signing_key): write-only for the coach (get_coach_settings only says whether each is set), read by the webhook functions to verify signatures. No API grant.';
comment on column private.coach_webhook_secrets.coach_id is 'The coach.';
comment on column private.coach_webhook_secrets.stripe_webhook_secret is 'The signing secret (whsec_…) of the coach''s Stripe webhook endpoint; null when not set.';
comment on column private.coach_webhook_secrets.calendly_signing_key is 'The signing key of the coach''s Calendly webhook subscription; null when not set.';
comment on column private.coach_webhook_secrets.updated_at is 'When a secret was last changed.';
