-- pg_cron's run history is purged: the job purge-cron-run-details exists once, every night at 03:15 UTC, and its
-- command deletes the runs that started more than 7 days ago, nothing newer (fixture runs inserted here, rolled back).
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(10);

select is((select count(*)::int from cron.job where jobname = 'purge-cron-run-details'), 1, 'one purge job');
select is((select schedule from cron.job where jobname = 'purge-cron-run-details'), '15 3 * * *', 'every night at 03:15 UTC');
select is((select command from cron.job where jobname = 'purge-cron-run-details'),
    $$delete from cron.job_run_details where start_time < now() - interval '7 days'$$,
    'its command deletes the runs started more than 7 days ago');
select is((select (active, database, username)::text from cron.job where jobname = 'purge-cron-run-details'),
    '(t,postgres,postgres)', 'active, in database postgres, as postgres (the role of every job of the migrations)');

-- Fixture runs of the KPI upkeep job, told apart by their return_message; now() is this transaction's start.
insert into cron.job_run_details (jobid, job_pid, database, username, command, status, return_message, start_time, end_time)
select j.jobid, 4242, 'postgres', 'postgres', j.command, x.status, x.tag, now() - x.age, now() - x.age + interval '50 seconds'
from cron.job as j
cross join (values
    ('succeeded', 'probe: 30 days old', interval '30 days'),
    ('failed', 'probe: 8 days old', interval '8 days'),
    ('succeeded', 'probe: 7 days and 1 minute old', interval '7 days 1 minute'),
    ('succeeded', 'probe: 7 days less 1 minute old', interval '7 days' - interval '1 minute'),
    ('succeeded', 'probe: 1 hour old', interval '1 hour')
) as x (status, tag, age)
where j.jobname = 'kpi-upkeep';
-- a run cut short by a restart 8 days ago: pg_cron marks it failed and never sets its end_time
insert into cron.job_run_details (jobid, job_pid, database, username, command, status, return_message, start_time, end_time)
select j.jobid, 4243, 'postgres', 'postgres', j.command, 'failed', 'probe: restarted 8 days ago', now() - interval '8 days', null
from cron.job as j where j.jobname = 'kpi-upkeep';
-- a run that never started (start_time null)
insert into cron.job_run_details (jobid, job_pid, database, username, command, status, return_message, start_time, end_time)
select j.jobid, null, 'postgres', 'postgres', j.command, 'failed', 'probe: never started', null, null
from cron.job as j where j.jobname = 'kpi-upkeep';

create temporary table other_runs as
select runid from cron.job_run_details
where coalesce(return_message, '') not like 'probe: %' and start_time >= now() - interval '7 days';

do $$
begin
    execute (select command from cron.job where jobname = 'purge-cron-run-details');
end;
$$;

select is(
    (select array_agg(return_message order by start_time nulls last) from cron.job_run_details where return_message like 'probe: %'),
    array['probe: 7 days less 1 minute old', 'probe: 1 hour old', 'probe: never started'],
    'the runs of the last 7 days are kept (and one that never started); older ones are gone');
select is((select count(*)::int from cron.job_run_details where return_message = 'probe: restarted 8 days ago'), 0,
    'a run cut short 8 days ago (end_time null) is purged too');
select is((select count(*)::int from cron.job_run_details where start_time < now() - interval '7 days'), 0,
    'no run older than 7 days is left');
select is((select count(*)::int from other_runs as o where not exists (
        select 1 from cron.job_run_details as d where d.runid = o.runid)), 0,
    'the real runs of the last 7 days (pg_cron''s own) are all kept');

-- running it again deletes nothing more
do $$
begin
    execute (select command from cron.job where jobname = 'purge-cron-run-details');
end;
$$;
select is((select count(*)::int from cron.job_run_details where return_message like 'probe: %'), 3, 'a second run deletes nothing more');

-- scheduling again (as re-applying the migration does) replaces the job, never adds a second one
select private.schedule_job('purge-cron-run-details', '15 3 * * *',
    $$delete from cron.job_run_details where start_time < now() - interval '7 days'$$) is not null as scheduled;
select is((select count(*)::int from cron.job where jobname = 'purge-cron-run-details'), 1,
    'scheduling the job again does not duplicate it');

select * from finish();
rollback;
