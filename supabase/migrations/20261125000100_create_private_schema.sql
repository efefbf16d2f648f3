-- Purpose: a schema outside the API for internal functions, trigger functions and materialized views.

-- THE GUARD BELOW IS THE ONE EDIT EVER MADE TO A LANDED MIGRATION (issue #23, docs/upgrade.md "A plain push on a
-- legacy database refuses"). It was added at the top of this file, the first migration any push runs, after the file
-- had run on databases. On those it changes nothing: the CLI never runs a recorded version again, and the guard itself
-- creates, alters and writes nothing (it reads and may raise). Why: a plain `supabase db push` on the brief's legacy
-- tables, unprepared, lost values that the documented path keeps (20261125000500 rewrites every gender,
-- 20261125000700 the messages' coach ids, 20261125001000 stamps every lead's updated_at) while locking those tables for
-- minutes. So the push now stops here, before any migration has changed anything, when:
--   - scripts/upgrade/prepare.js started preparing this database but has not recorded its migrations as applied
--     (legacy_upgrade.steps exists: this file would run again over a half-done preparation); or
--   - public.coachs, leads, messages or kpi_daily already hold rows before the first migration ran (a legacy
--     database), unless the connection sets legacy_upgrade.plain_push = 'accept_loss' (the documented override, e.g.
--     `--db-url '...?legacy_upgrade.plain_push=accept_loss'`, for a copy or a test that accepts the losses).
-- A new database (`supabase start`, `db push` on an empty project) and legacy tables without any row go through.
-- prepare.js never runs this statement (scripts/upgrade/plan.js leaves it out): it is the documented path.
do $$
declare
    counts text[] := '{}';
    total bigint := 0;
    n bigint;
    t text;
begin
    if to_regclass('legacy_upgrade.steps') is not null then
        raise exception using
            errcode = '55000',
            message = 'supabase db push refused: scripts/upgrade/prepare.js started preparing this legacy database and has not '
                || 'recorded its migrations as applied. Run prepare.js again to its end (finished steps are skipped), then '
                || 'scripts/upgrade/push.sh, as docs/upgrade.md says. Nothing was changed.';
    end if;
    foreach t in array array['coachs', 'leads', 'messages', 'kpi_daily'] loop
        if to_regclass(pg_catalog.format('public.%I', t)) is not null then
            execute pg_catalog.format('select count(*) from public.%I', t) into n;
            total := total + n;
            counts := counts || pg_catalog.format('%s %s', n, t);
        end if;
    end loop;
    if total > 0 and coalesce(pg_catalog.current_setting('legacy_upgrade.plain_push', true), '') <> 'accept_loss' then
        raise exception using
            errcode = '55000',
            message = pg_catalog.format('supabase db push refused: this is a legacy database (%s rows) that '
                || 'scripts/upgrade/prepare.js has not prepared. A plain push would lose legacy values the documented path '
                || 'keeps (genders, messages'' coach ids, leads'' updated_at) and lock these tables while it rewrites them. '
                || 'Upgrade it as docs/upgrade.md says: node scripts/upgrade/prepare.js, then scripts/upgrade/push.sh. '
                || 'Nothing was changed.',
                pg_catalog.array_to_string(counts, ', ')),
            hint = 'To push anyway and accept those losses (a copy of the database, a test), add '
                || 'legacy_upgrade.plain_push=accept_loss to the query string of --db-url (docs/upgrade.md).';
    end if;
end
$$;

create schema if not exists private;

comment on schema private is
    'Internal objects of the dashboard: trigger functions, helpers and materialized views. Not exposed by the API: no grants to anon or authenticated.';

revoke all on schema private from public;
grant usage on schema private to service_role;

create or replace function private.set_updated_at()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
begin
    new.updated_at := now();
    return new;
end;
$$;

comment on function private.set_updated_at() is
    'Trigger function: stamps updated_at with the transaction time on every update.';

create or replace function private.is_valid_timezone(tz text)
returns boolean
language plpgsql
immutable
security invoker
set search_path = ''
as $$
begin
    perform now() at time zone tz;
    return true;
exception when invalid_parameter_value then
    return false;
end;
$$;

comment on function private.is_valid_timezone(text) is
    'True when the text is a time zone name PostgreSQL knows (e.g. Europe/Paris). Used by check constraints.';

