-- Purpose: add_timeline_note, delete_timeline_note and get_timeline_notes (the before/after of the headline KPIs around a note), issue 22.

set lock_timeout = '500ms';

create or replace function private.timeline_note_compare(target_coach uuid, note_day date, window_days integer, today date)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
    -- the same number of days on each side, as many as the data reaches: not past today, not before the first data
    n integer := least(window_days, today - note_day + 1, note_day - private.kpi_first_day(target_coach, today));
    b private.kpi_facts;
    a private.kpi_facts;
begin
    if n < 1 then
        return null;
    end if;
    b := private.kpi_period_sums(target_coach, null, note_day - n, note_day - 1);
    a := private.kpi_period_sums(target_coach, null, note_day, note_day + n - 1);
    return jsonb_build_object(
        'days', n,
        'before', jsonb_build_object('start', to_char(note_day - n, 'YYYY-MM-DD'), 'end', to_char(note_day - 1, 'YYYY-MM-DD')),
        'after', jsonb_build_object('start', to_char(note_day, 'YYYY-MM-DD'), 'end', to_char(note_day + n - 1, 'YYYY-MM-DD')),
        'new_leads', private.kpi_metric(a.new_leads, b.new_leads, true),
        'dm1_reply_rate', private.kpi_period_rate(a.dm1_replied, a.dm1_sent, b.dm1_replied, b.dm1_sent, true),
        'calls_booked', private.kpi_metric(a.calls_booked, b.calls_booked, true),
        'deals_won', private.kpi_metric(a.deals_won, b.deals_won, true),
        'revenue', private.kpi_metric(a.revenue, b.revenue, true, a.deals_won, b.deals_won)
    );
end;
$$;

comment on function private.timeline_note_compare(uuid, date, integer, date) is
    'The before/after of a note on note_day: n = least(window_days, today - note_day + 1, note_day - the coach''s first data day) days before the note [note_day - n, note_day - 1] and from it [note_day, note_day + n - 1], the headline KPIs of each side from the KPI facts (private.kpi_period_sums) as the period documents give them, "after" as value and "before" as previous: new_leads, calls_booked, deals_won (Metric, the count its own sample), revenue (Metric, deals won as its sample), dm1_reply_rate (PeriodRate over the leads whose DM 1 was sent on that side). Null when n < 1 (a note on the first data day or later than today).';

revoke execute on function private.timeline_note_compare(uuid, date, integer, date) from public;

create or replace function private.timeline_notes_list(coach_id uuid, period text, period_start date, period_end date, window_days integer)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
    target uuid := private.check_coach_access(timeline_notes_list.coach_id);
    p private.kpi_period;
begin
    if window_days is null or window_days not between 1 and 90 then
        raise exception using errcode = '22023', message = format('invalid parameter "window_days": %s is not between 1 and 90', coalesce(window_days::text, 'null'));
    end if;
    p := private.kpi_resolve_period(target, period, period_start, period_end);
    return (
        select coalesce(jsonb_agg(jsonb_build_object(
                'id', t.id,
                'day', to_char(t.day, 'YYYY-MM-DD'),
                'note', t.note,
                'created_at', t.created_at,
                'compare', private.timeline_note_compare(target, t.day, window_days, p.today)
            ) order by t.day, t.created_at), '[]'::jsonb)
        from (
            select x.* from private.timeline_notes as x
            where x.coach_id = target and x.day between p.start_day and p.end_day
            order by x.day desc, x.created_at desc
            limit 100
        ) as t
    );
end;
$$;

comment on function private.timeline_notes_list(uuid, text, date, date, integer) is
    'get_timeline_notes after the caller check and the period''s resolution: the coach''s notes dated in the period (the 100 latest), oldest first, each with its before/after (private.timeline_note_compare).';

revoke execute on function private.timeline_notes_list(uuid, text, date, date, integer) from public;
grant execute on function private.timeline_notes_list(uuid, text, date, date, integer) to authenticated, service_role;

create or replace function private.timeline_note_add(note_day date, note_text text)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    coach uuid := auth.uid();
    today date;
    clean text := btrim(note_text);
    added private.timeline_notes;
begin
    if coach is null then
        raise exception 'coach_id is required: sign in as a coach' using errcode = '22004';
    end if;
    select (now() at time zone c.timezone)::date into today from public.coachs as c where c.id = coach;
    if not found then
        raise exception 'coach not found' using errcode = 'PT404';
    end if;
    if note_day is null then
        raise exception using errcode = '22023', message = 'invalid field "day": is required';
    elsif note_day > today then
        raise exception using errcode = '22023', message = format('invalid field "day": %s is after today (%s)', note_day, today);
    elsif note_day < date '2010-01-01' then
        raise exception using errcode = '22023', message = format('invalid field "day": %s is before 2010-01-01', note_day);
    end if;
    if clean is null or clean = '' then
        raise exception using errcode = '22023', message = 'invalid field "note": is required';
    elsif char_length(clean) > 200 then
        raise exception using errcode = '22023', message = format('invalid field "note": is longer than 200 characters (%s)', char_length(clean));
    end if;
    insert into private.timeline_notes (coach_id, day, note) values (coach, note_day, clean) returning * into added;
    return jsonb_build_object('id', added.id, 'day', to_char(added.day, 'YYYY-MM-DD'), 'note', added.note, 'created_at', added.created_at);
end;
$$;

comment on function private.timeline_note_add(date, text) is
    'add_timeline_note for the signed-in coach (auth.uid(), never another coach: an admin reads, it does not write): checks the day (at most the coach''s today, from 2010) and the note (1 to 200 characters once trimmed), then records it.';

revoke execute on function private.timeline_note_add(date, text) from public;
grant execute on function private.timeline_note_add(date, text) to authenticated;

create or replace function private.timeline_note_delete(note_id uuid)
returns boolean
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
    delete from private.timeline_notes as t where t.id = note_id and t.coach_id = auth.uid();
    if not found then
        raise exception 'timeline note not found' using errcode = 'PT404';
    end if;
    return true;
end;
$$;

comment on function private.timeline_note_delete(uuid) is
    'delete_timeline_note: deletes a note of the signed-in coach; PT404 when it has no such note (another coach''s note included).';

revoke execute on function private.timeline_note_delete(uuid) from public;
grant execute on function private.timeline_note_delete(uuid) to authenticated;

create or replace function public.get_timeline_notes(
    coach_id uuid default auth.uid(),
    period text default '30d',
    period_start date default null,
    period_end date default null,
    window_days integer default 14
)
returns jsonb
language sql
stable
security invoker
set search_path = ''
begin atomic
    select private.timeline_notes_list(get_timeline_notes.coach_id, get_timeline_notes.period,
        get_timeline_notes.period_start, get_timeline_notes.period_end, get_timeline_notes.window_days);
end;

comment on function public.get_timeline_notes(uuid, text, date, date, integer) is
    'The timeline notes of a coach (default: the caller) dated in a period (default 30d; the periods of get_dashboard), oldest first: [{id, day, note, created_at, compare: null | {days, before: {start, end}, after: {start, end}, new_leads, calls_booked, deals_won, revenue: Metric, dm1_reply_rate: PeriodRate}}], "after" (from the note''s day) as value and "before" as previous, over window_days (default 14, 1 to 90) days each side, fewer when the data does not reach (not past today, not before the first data). Errors as get_dashboard; 22023 for window_days.';

revoke execute on function public.get_timeline_notes(uuid, text, date, date, integer) from public, anon;
grant execute on function public.get_timeline_notes(uuid, text, date, date, integer) to authenticated, service_role;

create or replace function public.add_timeline_note(day date, note text)
returns jsonb
language sql
volatile
security invoker
set search_path = ''
begin atomic
    select private.timeline_note_add(add_timeline_note.day, add_timeline_note.note);
end;

comment on function public.add_timeline_note(date, text) is
    'Adds a note to the signed-in coach''s timeline: {day (YYYY-MM-DD, at most the coach''s today), note (1 to 200 characters)}; returns {id, day, note, created_at}. Errors (PostgREST 400): 22023 ''invalid field "day"|"note": ...''; 22004 not signed in; PT404 no coach row (an admin).';

revoke execute on function public.add_timeline_note(date, text) from public, anon, service_role;
grant execute on function public.add_timeline_note(date, text) to authenticated;

create or replace function public.delete_timeline_note(note_id uuid)
returns boolean
language sql
volatile
security invoker
set search_path = ''
begin atomic
    select private.timeline_note_delete(delete_timeline_note.note_id);
end;

comment on function public.delete_timeline_note(uuid) is
    'Deletes one of the signed-in coach''s timeline notes; PT404 (HTTP 404) when it has none with that id.';

revoke execute on function public.delete_timeline_note(uuid) from public, anon, service_role;
grant execute on function public.delete_timeline_note(uuid) to authenticated;
