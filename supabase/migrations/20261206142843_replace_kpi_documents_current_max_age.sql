-- Purpose: a stored period document is current only for about 5 minutes (plus up to a minute spread by coach): each cuts its previous period at the local time it was computed (period.previous.until), so the upkeep computes them again and the cut follows the clock.

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

-- private.kpi_documents_current of 20261206141442 (settings version), with one more condition: none of the five was
-- computed more than 5 minutes ago, plus 0-59 s by coach (a hash of its id) so that the coaches' documents, all
-- computed in one pass after a rebuild or at midnight, do not come due again in the same pass. A quiet coach's
-- documents are thus computed about every 5 minutes; a coach with activity has them computed at every pass anyway.
create or replace function private.kpi_documents_current(target_coach uuid, today date)
returns boolean
language sql
stable
security invoker
set search_path = ''
as $$
    select count(*) = 5
        and min(d.computed_at) >= now() - interval '5 minutes' - make_interval(secs => abs(hashtext(target_coach::text)) % 60)
    from private.kpi_documents as d
    where d.coach_id = target_coach and d.day = today
        and d.settings_version = (select private.kpi_settings_version(target_coach));
$$;

comment on function private.kpi_documents_current(uuid, date) is
    'True when the five preset period documents of the coach are stored for its local day today, computed from its current settings (private.kpi_settings_version) and none more than 5 minutes (plus 0-59 s by coach) ago: each cuts its previous period at the time it was computed (period.previous.until). The upkeep computes them again otherwise.';
