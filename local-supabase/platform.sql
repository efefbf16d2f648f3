-- local-supabase/platform.sql: what the Supabase platform puts in a database before any user migration runs,
-- recreated on a plain PostgreSQL 15 cluster.
--
-- This is LOCAL TOOLING and NEVER a migration: it must not be copied into supabase/migrations, because on a
-- real Supabase project (local stack or cloud) every object below already exists and belongs to the platform.
-- scripts/db.sh runs it as `postgres` before `supabase db push`. It is idempotent: safe to run any number of
-- times, also after the migrations were applied (it never re-grants on objects it does not own, so a later
-- `revoke` in a migration is not undone).
--
-- It mirrors, as of late 2026:
--   supabase/postgres  migrations/db/init-scripts/00000000000000-initial-schema.sql   roles, extensions schema,
--                        grants and default privileges on public, API role timeouts
--                      migrations/db/init-scripts/00000000000001-auth-schema.sql      auth schema, usage grants,
--                        supabase_auth_admin
--                      migrations/db/init-scripts/00000000000003-post-setup.sql       postgres search_path
--                      migrations/db/migrations/10000000000000_demote-postgres.sql,
--                        20211115181400_update-auth-permissions.sql                  postgres privileges on auth
--                      migrations/db/migrations/20211124212715_update-auth-owner.sql  owner of auth functions
--                      migrations/db/migrations/20221028101028_set_authenticator_timeout.sql,
--                        20231130133139_set_lock_timeout_to_authenticator_role.sql
--                      migrations/db/migrations/20230529180330_alter_api_roles_for_inherit.sql
--                      migrations/db/migrations/20251121141100_supabase_auth_admin_db_grants.sql
--                      migrations/db/migrations/20260821154147_revoke_createrole_from_auth_admin.sql
--   supabase/auth      migrations/*.up.sql (GoTrue), final state of auth.users, auth.identities, auth.sessions,
--   (GoTrue)             auth.refresh_tokens, auth.one_time_tokens and auth.uid()/role()/email()/jwt(); notably
--                        00_init_auth_schema, 20210710035447_alter_users, 20210722035447_adds_confirmed_at,
--                        20210730183235_add_email_change_confirmed, 20210909172000_create_identities_table,
--                        20210927181326_add_refresh_token_parent, 20220114185221_update_user_idx,
--                        20220224000811_update_auth_functions, 20220429102000_add_unique_idx,
--                        20220531120530_add_auth_jwt_function, 20220811173540_add_sessions_table,
--                        20221003041400_add_aal_and_factor_id_to_sessions, 20221114143122_add_session_not_after_column,
--                        20221215195500_modify_users_email_unique_index, 20221215195800_add_identities_email_column,
--                        20230116124310_alter_phone_type, 20230508135423_add_cleanup_indexes,
--                        20231117164230_add_id_pkey_identities, 20240214120130_add_is_anonymous_column,
--                        20240427152123_add_one_time_tokens_table, 20240612123726_enable_rls_update_grants,
--                        20251007112900_add_session_refresh_token_columns
--                      checked against `pg_dump` output of current hosted projects.
--
-- Deliberate differences from the platform (a plain cluster has no supautils and no supabase_admin):
--   * postgres stays the cluster superuser and owns the schemas auth and extensions (on Supabase supabase_admin
--     owns them and postgres is demoted to a privileged non-superuser). supabase_admin and dashboard_user are not
--     created; authenticator is therefore not granted supabase_admin.
--   * auth.sessions.oauth_client_id exists but without its foreign key to auth.oauth_clients (the OAuth server
--     tables are not recreated). Other auth tables (mfa_*, sso_*, saml_*, flow_state, audit_log_entries,
--     instances, schema_migrations, oauth_*) and the storage/realtime/graphql schemas are not recreated; pg_net and
--     Vault have small stand-ins at the end of this file.
--   * authenticator does not get session_preload_libraries = 'supautils, safeupdate' (not installed here).
--   * Existing objects in public are not granted to the API roles: on a fresh platform database public is
--     empty, and re-granting after migrations would undo their revokes. New objects get the grants through the
--     default privileges below, exactly as on Supabase.

set client_min_messages = warning;

begin;

-- ---------------------------------------------------------------------------------------------------------------
-- Roles (initial-schema, auth-schema; anon/authenticated/service_role were switched to INHERIT by
-- 20230529180330_alter_api_roles_for_inherit: it changes nothing here since nothing is granted to them).
-- ---------------------------------------------------------------------------------------------------------------

do $$
begin
    if not exists (select from pg_roles where rolname = 'anon') then
        create role anon nologin noinherit;
    end if;
    if not exists (select from pg_roles where rolname = 'authenticated') then
        create role authenticated nologin noinherit;
    end if;
    if not exists (select from pg_roles where rolname = 'service_role') then
        create role service_role nologin noinherit bypassrls;
    end if;
    if not exists (select from pg_roles where rolname = 'authenticator') then
        create role authenticator login noinherit;
    end if;
    -- Owner of the auth tables and functions (GoTrue connects as this role on Supabase).
    if not exists (select from pg_roles where rolname = 'supabase_auth_admin') then
        create role supabase_auth_admin login noinherit nocreaterole noreplication;
    end if;
end
$$;

-- Bring pre-existing roles to the current platform attributes.
alter role anon nologin inherit;
alter role authenticated nologin inherit;
alter role service_role nologin inherit bypassrls;
alter role authenticator login noinherit;
alter role supabase_auth_admin login noinherit nocreaterole noreplication;

grant anon to authenticator;
grant authenticated to authenticator;
grant service_role to authenticator;

-- Role settings (they apply to sessions that log in as the role, not to `set role`).
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';
alter role authenticator set statement_timeout = '8s';
alter role authenticator set lock_timeout = '8s';
alter role supabase_auth_admin set search_path = auth;

-- Supabase sets the search_path on the postgres role (post-setup), not on the database.
alter role postgres set search_path to "$user", public, extensions;

do $$
begin
    execute format('grant create on database %I to supabase_auth_admin', current_database());
end
$$;

-- ---------------------------------------------------------------------------------------------------------------
-- Extensions schema
-- ---------------------------------------------------------------------------------------------------------------

create schema if not exists extensions authorization postgres;
create extension if not exists "uuid-ossp" with schema extensions;
create extension if not exists pgcrypto with schema extensions;

grant usage on schema extensions to postgres, anon, authenticated, service_role;

-- pg_cron is NOT created here: a migration runs `create extension if not exists pg_cron;`. On Supabase the
-- supautils extension hooks then grant postgres `usage on schema cron ... with grant option` and privileges on
-- the cron tables (formerly the extensions.grant_pg_cron_access event trigger of post-setup, dropped by
-- 20231020085357_revoke_writes_on_cron_job_from_postgres). Here postgres is superuser, so nothing is needed.
-- pgTAP is NOT created here either: the database tests run `create extension if not exists pgtap with schema
-- extensions;` themselves.

-- ---------------------------------------------------------------------------------------------------------------
-- Schema public: API role usage and default privileges for objects that postgres creates. Functions keep the
-- PostgreSQL default EXECUTE to PUBLIC (not revoked, as on Supabase).
-- ---------------------------------------------------------------------------------------------------------------

grant usage on schema public to postgres, anon, authenticated, service_role;

-- Set once, on a new database: migrations may narrow them later (20261125500100 revokes TRUNCATE), and running this
-- script again (every `npm start`) must not widen them back.
do $$
begin
    if not exists (
        select 1 from pg_catalog.pg_default_acl
        where defaclrole = 'postgres'::regrole and defaclnamespace = 'public'::regnamespace
    ) then
        alter default privileges for role postgres in schema public
            grant all on tables to postgres, anon, authenticated, service_role;
        alter default privileges for role postgres in schema public
            grant all on functions to postgres, anon, authenticated, service_role;
        alter default privileges for role postgres in schema public
            grant all on sequences to postgres, anon, authenticated, service_role;
    end if;
end
$$;

-- ---------------------------------------------------------------------------------------------------------------
-- Schema auth: the API roles may use it (to call auth.uid() and friends) but get no privilege on its tables;
-- service_role neither (it reaches users through the Auth admin API, not SQL).
-- ---------------------------------------------------------------------------------------------------------------

create schema if not exists auth authorization postgres;

grant usage on schema auth to anon, authenticated, service_role;
grant usage on schema auth to postgres;
grant all privileges on schema auth to supabase_auth_admin;

do $$
begin
    create type auth.aal_level as enum ('aal1', 'aal2', 'aal3');
exception
    when duplicate_object then null;
end
$$;

do $$
begin
    create type auth.one_time_token_type as enum (
        'confirmation_token',
        'reauthentication_token',
        'recovery_token',
        'email_change_token_new',
        'email_change_token_current',
        'phone_change_token'
    );
exception
    when duplicate_object then null;
end
$$;

-- auth.users ----------------------------------------------------------------------------------------------------

create table if not exists auth.users (
    instance_id uuid,
    id uuid not null,
    aud character varying(255),
    role character varying(255),
    email character varying(255),
    encrypted_password character varying(255),
    email_confirmed_at timestamp with time zone,
    invited_at timestamp with time zone,
    confirmation_token character varying(255),
    confirmation_sent_at timestamp with time zone,
    recovery_token character varying(255),
    recovery_sent_at timestamp with time zone,
    email_change_token_new character varying(255),
    email_change character varying(255),
    email_change_sent_at timestamp with time zone,
    last_sign_in_at timestamp with time zone,
    raw_app_meta_data jsonb,
    raw_user_meta_data jsonb,
    is_super_admin boolean,
    created_at timestamp with time zone,
    updated_at timestamp with time zone,
    -- phone/phone_change were varchar(15) and became text (20230116124310); the defaults kept their casts.
    phone text default null::character varying,
    phone_confirmed_at timestamp with time zone,
    phone_change text default ''::character varying,
    phone_change_token character varying(255) default ''::character varying,
    phone_change_sent_at timestamp with time zone,
    confirmed_at timestamp with time zone generated always as (least(email_confirmed_at, phone_confirmed_at)) stored,
    email_change_token_current character varying(255) default ''::character varying,
    email_change_confirm_status smallint default 0,
    banned_until timestamp with time zone,
    reauthentication_token character varying(255) default ''::character varying,
    reauthentication_sent_at timestamp with time zone,
    is_sso_user boolean default false not null,
    deleted_at timestamp with time zone,
    is_anonymous boolean default false not null,
    constraint users_pkey primary key (id),
    constraint users_phone_key unique (phone),
    constraint users_email_change_confirm_status_check
        check (email_change_confirm_status >= 0 and email_change_confirm_status <= 2)
);

comment on table auth.users is 'Auth: Stores user login data within a secure schema.';
comment on column auth.users.is_sso_user is
    'Auth: Set this column to true when the account comes from SSO. These accounts can have duplicate emails.';

create index if not exists users_instance_id_idx on auth.users using btree (instance_id);
create index if not exists users_instance_id_email_idx on auth.users using btree (instance_id, lower(email::text));
create index if not exists users_is_anonymous_idx on auth.users using btree (is_anonymous);
create unique index if not exists users_email_partial_key on auth.users using btree (email)
    where (is_sso_user = false);
comment on index auth.users_email_partial_key is
    'Auth: A partial unique index that applies only when is_sso_user is false';
create unique index if not exists confirmation_token_idx on auth.users using btree (confirmation_token)
    where (confirmation_token::text !~ '^[0-9 ]*$');
create unique index if not exists recovery_token_idx on auth.users using btree (recovery_token)
    where (recovery_token::text !~ '^[0-9 ]*$');
create unique index if not exists email_change_token_current_idx on auth.users using btree (email_change_token_current)
    where (email_change_token_current::text !~ '^[0-9 ]*$');
create unique index if not exists email_change_token_new_idx on auth.users using btree (email_change_token_new)
    where (email_change_token_new::text !~ '^[0-9 ]*$');
create unique index if not exists reauthentication_token_idx on auth.users using btree (reauthentication_token)
    where (reauthentication_token::text !~ '^[0-9 ]*$');

-- auth.identities -----------------------------------------------------------------------------------------------

create table if not exists auth.identities (
    provider_id text not null,
    user_id uuid not null,
    identity_data jsonb not null,
    provider text not null,
    last_sign_in_at timestamp with time zone,
    created_at timestamp with time zone,
    updated_at timestamp with time zone,
    email text generated always as (lower(identity_data ->> 'email')) stored,
    id uuid default gen_random_uuid() not null,
    constraint identities_pkey primary key (id),
    constraint identities_provider_id_provider_unique unique (provider_id, provider),
    constraint identities_user_id_fkey foreign key (user_id) references auth.users (id) on delete cascade
);

comment on table auth.identities is 'Auth: Stores identities associated to a user.';
comment on column auth.identities.email is
    'Auth: Email is a generated column that references the optional email property in the identity_data';

create index if not exists identities_user_id_idx on auth.identities using btree (user_id);
create index if not exists identities_email_idx on auth.identities using btree (email text_pattern_ops);
comment on index auth.identities_email_idx is 'Auth: Ensures indexed queries on the email column';

-- auth.sessions -------------------------------------------------------------------------------------------------

create table if not exists auth.sessions (
    id uuid not null,
    user_id uuid not null,
    created_at timestamp with time zone,
    updated_at timestamp with time zone,
    factor_id uuid,
    aal auth.aal_level,
    not_after timestamp with time zone,
    refreshed_at timestamp without time zone,
    user_agent text,
    ip inet,
    tag text,
    -- On Supabase: references auth.oauth_clients (id) on delete cascade; that table is not recreated here.
    oauth_client_id uuid,
    refresh_token_hmac_key text,
    refresh_token_counter bigint,
    scopes text,
    constraint sessions_pkey primary key (id),
    constraint sessions_user_id_fkey foreign key (user_id) references auth.users (id) on delete cascade,
    constraint sessions_scopes_length check (char_length(scopes) <= 4096)
);

comment on table auth.sessions is 'Auth: Stores session data associated to a user.';
comment on column auth.sessions.not_after is
    'Auth: Not after is a nullable column that contains a timestamp after which the session should be regarded as expired.';
comment on column auth.sessions.refresh_token_hmac_key is
    'Holds a HMAC-SHA256 key used to sign refresh tokens for this session.';
comment on column auth.sessions.refresh_token_counter is 'Holds the ID (counter) of the last issued refresh token.';

create index if not exists sessions_user_id_idx on auth.sessions using btree (user_id);
create index if not exists user_id_created_at_idx on auth.sessions using btree (user_id, created_at);
create index if not exists sessions_not_after_idx on auth.sessions using btree (not_after desc);
create index if not exists sessions_oauth_client_id_idx on auth.sessions using btree (oauth_client_id);

-- auth.refresh_tokens -------------------------------------------------------------------------------------------

create table if not exists auth.refresh_tokens (
    instance_id uuid,
    id bigserial not null,
    token character varying(255),
    user_id character varying(255),
    revoked boolean,
    created_at timestamp with time zone,
    updated_at timestamp with time zone,
    parent character varying(255),
    session_id uuid,
    constraint refresh_tokens_pkey primary key (id),
    constraint refresh_tokens_token_unique unique (token),
    constraint refresh_tokens_session_id_fkey foreign key (session_id) references auth.sessions (id) on delete cascade
);

comment on table auth.refresh_tokens is 'Auth: Store of tokens used to refresh JWT tokens once they expire.';

create index if not exists refresh_tokens_instance_id_idx on auth.refresh_tokens using btree (instance_id);
create index if not exists refresh_tokens_instance_id_user_id_idx on auth.refresh_tokens using btree (instance_id, user_id);
create index if not exists refresh_tokens_parent_idx on auth.refresh_tokens using btree (parent);
create index if not exists refresh_tokens_session_id_revoked_idx on auth.refresh_tokens using btree (session_id, revoked);
create index if not exists refresh_tokens_updated_at_idx on auth.refresh_tokens using btree (updated_at desc);

-- auth.one_time_tokens (magic links, confirmations, recoveries, ...) ----------------------------------------------

create table if not exists auth.one_time_tokens (
    id uuid not null,
    user_id uuid not null,
    token_type auth.one_time_token_type not null,
    token_hash text not null,
    relates_to text not null,
    created_at timestamp without time zone default now() not null,
    updated_at timestamp without time zone default now() not null,
    constraint one_time_tokens_pkey primary key (id),
    constraint one_time_tokens_user_id_fkey foreign key (user_id) references auth.users (id) on delete cascade,
    constraint one_time_tokens_token_hash_check check (char_length(token_hash) > 0)
);

create index if not exists one_time_tokens_token_hash_hash_idx on auth.one_time_tokens using hash (token_hash);
create index if not exists one_time_tokens_relates_to_hash_idx on auth.one_time_tokens using hash (relates_to);
create unique index if not exists one_time_tokens_user_id_token_type_key
    on auth.one_time_tokens using btree (user_id, token_type);

-- Ownership, row level security and privileges of the auth tables ------------------------------------------------

alter type auth.aal_level owner to supabase_auth_admin;
alter type auth.one_time_token_type owner to supabase_auth_admin;
alter table auth.users owner to supabase_auth_admin;
alter table auth.identities owner to supabase_auth_admin;
alter table auth.sessions owner to supabase_auth_admin;
alter table auth.refresh_tokens owner to supabase_auth_admin;
alter table auth.one_time_tokens owner to supabase_auth_admin;

alter table auth.users enable row level security;
alter table auth.identities enable row level security;
alter table auth.sessions enable row level security;
alter table auth.refresh_tokens enable row level security;
alter table auth.one_time_tokens enable row level security;

-- postgres: every privilege, select with grant option (20211115181400, 20240612123726). Nothing for the API roles.
grant all on table auth.users, auth.identities, auth.sessions, auth.refresh_tokens, auth.one_time_tokens to postgres;
grant select on table auth.users, auth.identities, auth.sessions, auth.refresh_tokens, auth.one_time_tokens
    to postgres with grant option;
grant all on sequence auth.refresh_tokens_id_seq to postgres;

-- ---------------------------------------------------------------------------------------------------------------
-- auth.uid(), auth.role(), auth.email(), auth.jwt(): GoTrue 20220224000811 and 20220531120530, as deployed today
-- (sql, stable, no security definer, no search_path). They read the PostgREST request settings: the legacy
-- per-claim `request.jwt.claim.<name>` first, then the `request.jwt.claims` JSON.
-- ---------------------------------------------------------------------------------------------------------------

create or replace function auth.uid()
returns uuid
language sql stable
as $$
    select
    coalesce(
        nullif(current_setting('request.jwt.claim.sub', true), ''),
        (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
    )::uuid
$$;

create or replace function auth.role()
returns text
language sql stable
as $$
    select
    coalesce(
        nullif(current_setting('request.jwt.claim.role', true), ''),
        (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
    )::text
$$;

create or replace function auth.email()
returns text
language sql stable
as $$
    select
    coalesce(
        nullif(current_setting('request.jwt.claim.email', true), ''),
        (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
    )::text
$$;

create or replace function auth.jwt()
returns jsonb
language sql stable
as $$
    select
    coalesce(
        nullif(current_setting('request.jwt.claim', true), ''),
        nullif(current_setting('request.jwt.claims', true), '')
    )::jsonb
$$;

comment on function auth.uid() is 'Deprecated. Use auth.jwt() -> ''sub'' instead.';
comment on function auth.role() is 'Deprecated. Use auth.jwt() -> ''role'' instead.';
comment on function auth.email() is 'Deprecated. Use auth.jwt() -> ''email'' instead.';

alter function auth.uid() owner to supabase_auth_admin;
alter function auth.role() owner to supabase_auth_admin;
alter function auth.email() owner to supabase_auth_admin;
alter function auth.jwt() owner to supabase_auth_admin;

-- EXECUTE stays granted to PUBLIC (PostgreSQL default, which is what the API roles rely on on Supabase); the
-- explicit grants below only make the intent visible.
grant execute on function auth.uid(), auth.role(), auth.email(), auth.jwt() to anon, authenticated, service_role;
grant all on function auth.uid(), auth.role(), auth.email(), auth.jwt() to postgres;

-- ---------------------------------------------------------------------------------------------------------------
-- pg_net and Vault: the smallest stand-ins that let the same migration schedule the same pg_cron job as on Supabase
-- (the send-digests job: net.http_post to the edge function, its URL and key read from vault.decrypted_secrets).
-- On Supabase, pg_net (supabase/pg_net, schema net) is an extension enabled from the dashboard and Vault
-- (supabase/vault, extension supabase_vault) is on by default; neither exists on a plain cluster. What is kept of
-- them: net.http_post / net.http_get with pg_net's signatures and defaults, its queue table and response table (a
-- request is queued by the calling transaction and sent after it commits, asynchronously); vault.create_secret /
-- vault.update_secret and the vault.decrypted_secrets view. The requests are sent by local-supabase/api/pg-net.js,
-- run by the API when PG_NET_WORKER=1 (npm start), in place of pg_net's background worker. Known differences
-- (local-supabase/README.md): secrets are stored in clear (Vault encrypts them with pgsodium / a key the database
-- cannot read), the queue is sent by the API process (none runs without it: the requests wait in the queue), and
-- responses are kept 6 hours like pg_net's default ttl but purged by that process.
-- ---------------------------------------------------------------------------------------------------------------

create schema if not exists net;

create table if not exists net.http_request_queue (
    id bigserial primary key,
    method text not null,
    url text not null,
    headers jsonb not null,
    body bytea,
    timeout_milliseconds integer not null
);

create table if not exists net._http_response (
    id bigint,
    status_code integer,
    content_type text,
    headers jsonb,
    content text,
    timed_out boolean,
    error_msg text,
    created timestamptz not null default now()
);

create index if not exists _http_response_created_idx on net._http_response (created);

create or replace function net.http_post(
    url text,
    body jsonb default '{}'::jsonb,
    params jsonb default '{}'::jsonb,
    headers jsonb default '{"Content-Type": "application/json"}'::jsonb,
    timeout_milliseconds integer default 5000
)
returns bigint
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    request_id bigint;
    query text := (select string_agg(format('%s=%s', k, v), '&') from jsonb_each_text(params) as p(k, v));
begin
    insert into net.http_request_queue (method, url, headers, body, timeout_milliseconds)
    values ('POST', url || coalesce(case when position('?' in url) > 0 then '&' else '?' end || query, ''), headers,
        convert_to(body::text, 'UTF8'), timeout_milliseconds)
    returning id into request_id;
    perform pg_notify('pg_net', request_id::text);
    return request_id;
end;
$$;

create or replace function net.http_get(
    url text,
    params jsonb default '{}'::jsonb,
    headers jsonb default '{}'::jsonb,
    timeout_milliseconds integer default 5000
)
returns bigint
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    request_id bigint;
    query text := (select string_agg(format('%s=%s', k, v), '&') from jsonb_each_text(params) as p(k, v));
begin
    insert into net.http_request_queue (method, url, headers, body, timeout_milliseconds)
    values ('GET', url || coalesce(case when position('?' in url) > 0 then '&' else '?' end || query, ''), headers, null,
        timeout_milliseconds)
    returning id into request_id;
    perform pg_notify('pg_net', request_id::text);
    return request_id;
end;
$$;

revoke all on schema net from public;
revoke execute on function net.http_post(text, jsonb, jsonb, jsonb, integer), net.http_get(text, jsonb, jsonb, integer) from public;

create schema if not exists vault;

create table if not exists vault.secrets (
    id uuid primary key default gen_random_uuid(),
    name text unique,
    description text not null default '',
    secret text not null,
    key_id uuid,
    nonce bytea,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

create or replace view vault.decrypted_secrets as
    select s.id, s.name, s.description, s.secret, s.secret as decrypted_secret, s.key_id, s.nonce, s.created_at, s.updated_at
    from vault.secrets as s;

create or replace function vault.create_secret(new_secret text, new_name text default null, new_description text default '',
    new_key_id uuid default null)
returns uuid
language sql
volatile
security definer
set search_path = ''
as $$
    insert into vault.secrets (secret, name, description, key_id) values (new_secret, new_name, new_description, new_key_id)
    returning id;
$$;

create or replace function vault.update_secret(secret_id uuid, new_secret text default null, new_name text default null,
    new_description text default null, new_key_id uuid default null)
returns void
language sql
volatile
security definer
set search_path = ''
as $$
    update vault.secrets
    set secret = coalesce(new_secret, secret), name = coalesce(new_name, name),
        description = coalesce(new_description, description), key_id = coalesce(new_key_id, key_id), updated_at = now()
    where id = secret_id;
$$;

revoke all on schema vault from public;
revoke execute on function vault.create_secret(text, text, text, uuid), vault.update_secret(uuid, text, text, text, uuid) from public;

commit;
