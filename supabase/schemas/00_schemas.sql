-- The schemas, extensions and default privileges the project adds to a new Supabase database.

-- pg_cron runs the KPI jobs (90_cron_jobs.sql). On Supabase it lives in pg_catalog, its jobs in schema cron. It can
-- only be created in the database named by cron.database_name (postgres).
create extension if not exists pg_cron with schema pg_catalog;

create schema if not exists private;

-- Lead search (37_search_leads.sql): trigrams, accent folding, and a GIN entry for the coach id. Supabase installs
-- extensions in the extensions schema.
create extension if not exists pg_trgm with schema extensions;
create extension if not exists unaccent with schema extensions;
create extension if not exists btree_gin with schema extensions;

comment on schema private is
    'Internal objects of the dashboard: trigger functions, helpers and materialized views. Not exposed by the API: no grants to anon or authenticated.';

revoke all on schema private from public;
grant usage on schema private to service_role;

-- The API roles never truncate: Supabase's default privileges give them every table privilege on public.
alter default privileges for role postgres in schema public revoke truncate on tables from anon, authenticated;
