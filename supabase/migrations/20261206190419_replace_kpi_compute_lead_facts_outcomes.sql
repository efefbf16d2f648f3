-- Purpose: a lead's facts count the coach's own follow-up ("Relancé", leads.followed_up_at) as its last contact, so the follow-up rule counts days from the later of the last message and that time, and carry who gave the deal value.

set lock_timeout = '500ms';

create or replace function private.kpi_compute_lead_facts(lead_ids uuid[])
returns setof private.lead_facts
language sql
stable
security invoker
set search_path = ''
as $$
    select
        l.id, l.coach_id, l.status, l.instagram_username, l.first_name,
        l.created_at, (l.created_at at time zone c.timezone)::date,
        l.source, l.gender, l.age, nullif(lower(btrim(l.job_title)), ''), l.email is not null,
        l.time_to_action_minutes, l.deal_value, l.call_showed, l.lost_reason,
        l.lead_magnet_sent_at, (l.lead_magnet_sent_at at time zone c.timezone)::date,
        (greatest(coalesce(l.last_contact_at, l.created_at), l.followed_up_at) at time zone c.timezone)::date,
        l.total_messages_sent + l.total_messages_received,
        s.msg1_sent_at, (s.msg1_sent_at at time zone c.timezone)::date, coalesce(s.msg1_replied, false),
        s.msg2_sent_at, (s.msg2_sent_at at time zone c.timezone)::date, coalesce(s.msg2_replied, false),
        s.msg3_sent_at, (s.msg3_sent_at at time zone c.timezone)::date, coalesce(s.msg3_replied, false),
        s.msg4_sent_at, (s.msg4_sent_at at time zone c.timezone)::date, coalesce(s.msg4_replied, false),
        e.qualified_at, (e.qualified_at at time zone c.timezone)::date,
        e.proposed_at, (e.proposed_at at time zone c.timezone)::date,
        e.booked_at, (e.booked_at at time zone c.timezone)::date,
        e.won_at, (e.won_at at time zone c.timezone)::date,
        e.lost_at, (e.lost_at at time zone c.timezone)::date,
        (e.booked_event_at at time zone c.timezone)::date,
        ((extract(isodow from e.booked_event_at at time zone c.timezone) - 1) * 24
            + extract(hour from e.booked_event_at at time zone c.timezone))::smallint,
        ((extract(isodow from e.won_at at time zone c.timezone) - 1) * 24
            + extract(hour from e.won_at at time zone c.timezone))::smallint,
        coalesce(m.activity, '{}'::jsonb), coalesce(m.turns, '{}'::jsonb),
        now(),
        v.dm1_variant, v.dm2_variant, v.dm3_variant, v.dm4_variant,
        l.deal_value_source
    from public.leads as l
    join public.coachs as c on c.id = l.coach_id
    left join public.message_sequences as s on s.lead_id = l.id
    left join private.kpi_lead_stage_facts(lead_ids) as e on e.lead_id = l.id
    left join private.kpi_lead_message_facts(lead_ids) as m on m.lead_id = l.id
    left join private.kpi_lead_variant_facts(lead_ids) as v on v.lead_id = l.id
    where l.id = any (lead_ids);
$$;

comment on column private.lead_facts.last_contact_day is
    'Local day of the last contact: the last message either way or the coach''s own follow-up (leads.followed_up_at, "Relancé"), whichever is later (created_at without either): the follow-up rule counts days from it.';

comment on function private.kpi_compute_lead_facts(uuid[]) is
    'The private.lead_facts rows of the given leads, computed now from leads, coachs (time zone), message_sequences, lead_status_events and messages (activity, turns, the variants of DMs 1 to 4); the last contact is the later of the last message and the coach''s follow-up (followed_up_at). A lead that no longer exists has no row.';

