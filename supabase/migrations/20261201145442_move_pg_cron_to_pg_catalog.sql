-- Purpose: pg_cron lives in pg_catalog, as on Supabase (splinter: extension_in_public), with its jobs and their history kept.

-- 20261125100400 ran `create extension if not exists pg_cron`, which put the extension in the first schema of the
-- search_path: public. On Supabase it is created `with schema pg_catalog` (the dashboard does so; a project that
-- enabled it there first was left alone by that migration). pg_cron cannot be relocated (`relocatable = false`), so
-- where it sits elsewhere it is dropped and created again in pg_catalog, in this one transaction: the jobs are
-- scheduled again with the same name, schedule, command, database, user and active flag, and their run history is
-- copied back under the new job ids. Nothing happens where pg_cron is absent (a database other than
-- cron.database_name) or already in pg_catalog.
set lock_timeout = '3s';

do $$
declare
    job record;
    new_job_id bigint;
begin
    if not exists (
        select 1 from pg_catalog.pg_extension as e
        where e.extname = 'pg_cron' and e.extnamespace <> 'pg_catalog'::regnamespace
    ) then
        return;
    end if;

    create temporary table moved_cron_jobs on commit drop as
        select j.jobid, j.jobname, j.schedule, j.command, j.database, j.username, j.active, null::bigint as new_jobid
        from cron.job as j;
    create temporary table moved_cron_runs on commit drop as
        select d.jobid, d.job_pid, d.database, d.username, d.command, d.status, d.return_message, d.start_time, d.end_time
        from cron.job_run_details as d;

    drop extension pg_cron;
    create extension pg_cron with schema pg_catalog;

    for job in select * from moved_cron_jobs order by jobid loop
        if job.jobname is null then
            new_job_id := cron.schedule(job.schedule, job.command);
            perform cron.alter_job(new_job_id, database => job.database, username => job.username, active => job.active);
        else
            new_job_id := cron.schedule_in_database(job.jobname, job.schedule, job.command, job.database, job.username, job.active);
        end if;
        update moved_cron_jobs set new_jobid = new_job_id where jobid = job.jobid;
    end loop;

    insert into cron.job_run_details (jobid, job_pid, database, username, command, status, return_message, start_time, end_time)
    select m.new_jobid, r.job_pid, r.database, r.username, r.command, r.status, r.return_message, r.start_time, r.end_time
    from moved_cron_runs as r
    join moved_cron_jobs as m on m.jobid = r.jobid
    order by r.start_time;
end;
$$;
