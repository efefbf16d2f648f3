-- Purpose: every ingestion call locks its coach row (FOR KEY SHARE) before any lead, so deleting a coach while n8n writes for it neither deadlocks nor answers 23503 instead of "unknown coach".

set lock_timeout = '500ms';

-- A DELETE of a coach takes the KPI writers' advisory lock (20261201180958), then locks the coach row FOR UPDATE and
-- cascades to its leads. An ingestion call locked a lead first (FOR NO KEY UPDATE in private.ingest_lead_row) and the
-- coach row only later, through the foreign keys of the rows it inserts (KEY SHARE): a transaction holding a lead
-- the delete waited for then waited for the coach row the delete held (40P01, issue 23). And a call that started
-- while the delete was in progress saw the coach (not deleted yet), waited, and failed on a foreign key (23503, HTTP
-- 409) or on "lead belongs to another coach" once the delete committed. Locking the coach row first, in the mode the
-- foreign keys take anyway (writers of one coach do not wait on each other), gives one order: a delete that comes
-- later waits for the call's transaction; a call during a delete waits for it, then finds the coach gone.

-- Locks the coach row (FOR KEY SHARE, held until the transaction ends) and checks it exists: P0001 "unknown coach"
-- otherwise, also when a delete in progress committed meanwhile.
create or replace function private.ingest_lock_coach(coach uuid)
returns uuid
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
    perform 1 from public.coachs as c where c.id = coach for key share;
    if not found then
        raise exception using
            errcode = 'P0001',
            message = format('invalid field "coach_id": unknown coach %s', coach),
            hint = 'coach_id is the coach''s id in public.coachs (the id create-coach returned).';
    end if;
    return coach;
end;
$$;

comment on function private.ingest_lock_coach(uuid) is
    'Locks the coach row FOR KEY SHARE until the end of the transaction (the lock the foreign keys of ingested rows take; a coach''s deletion waits for it) and returns the id; P0001 "unknown coach" when the coach does not exist, also when a delete in progress commits meanwhile. Every ingestion call takes it before any lead row.';

-- As its callers (the ingestion RPCs, service_role only): no other role has USAGE on private anyway.
revoke all on function private.ingest_lock_coach(uuid) from public;
grant execute on function private.ingest_lock_coach(uuid) to service_role;

-- The coach named by a payload (20261125200000): it must exist, and it is locked from here on.
create or replace function private.ingest_coach(payload jsonb)
returns uuid
language sql
volatile
security invoker
set search_path = ''
as $$
    select private.ingest_lock_coach(private.ingest_uuid(payload, 'coach_id', true));
$$;

comment on function private.ingest_coach(jsonb) is
    'Reads the required coach_id field, checks the coach exists and locks its row (private.ingest_lock_coach); P0001 "unknown coach" otherwise.';

-- 20261125200100's body, with the coach row locked first (private.ingest_lock_coach): the batch ingest_messages calls
-- it for each lead without ingest_coach.
create or replace function private.ingest_lead_row(
    coach uuid,
    instagram_id text,
    first_seen timestamptz,
    out lead_id uuid,
    out created boolean
)
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
    owner uuid;
    known_since timestamptz;
begin
    perform private.ingest_lock_coach(coach);

    insert into public.leads (coach_id, user_id_instagram, created_at, status, status_changed_at)
    values (coach, instagram_id, coalesce(first_seen, now()), 'new', coalesce(first_seen, now()))
    on conflict (user_id_instagram) do nothing
    returning id into lead_id;
    created := lead_id is not null;

    select l.id, l.coach_id, l.created_at
    into lead_id, owner, known_since
    from public.leads as l
    where l.user_id_instagram = instagram_id
    for no key update;

    if owner is distinct from coach then
        raise exception using
            errcode = 'P0001',
            message = format('invalid field "user_id_instagram": lead %s belongs to another coach', instagram_id),
            hint = 'An Instagram user id identifies one lead of one coach; check the coach_id of the workflow.';
    end if;

    if first_seen < known_since then
        update public.lead_status_events as e
        set changed_at = first_seen
        where e.id = (
                select f.id from public.lead_status_events as f
                where f.lead_id = ingest_lead_row.lead_id
                order by f.changed_at, f.id
                limit 1
            )
            and e.from_status is null
            and e.to_status = 'new'
            and e.changed_at = known_since;
        update public.leads as l
        set created_at = first_seen,
            status_changed_at = case
                when l.status = 'new' and l.status_changed_at = known_since then first_seen
                else l.status_changed_at
            end
        where l.id = ingest_lead_row.lead_id;
    end if;
end;
$$;

comment on function private.ingest_lead_row(uuid, text, timestamptz) is
    'Locks the coach row (private.ingest_lock_coach: P0001 unknown coach), finds (or creates, status new) the lead of coach with this Instagram id, locks it, refuses a lead of another coach (P0001), and moves created_at and the initial new event back to first_seen when the event is older.';
