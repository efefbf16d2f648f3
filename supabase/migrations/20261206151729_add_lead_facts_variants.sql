-- Purpose: the variant of DMs 1 to 4 in each lead's KPI facts (private.lead_facts.dmN_variant), computed from messages.variant.

-- The columns and the function that fills them change together: private.kpi_compute_lead_facts returns a whole
-- private.lead_facts row, so a pass between the two would fail. lead_facts is written only by the upkeep; adding
-- nullable columns without a default is a catalog change (no rewrite). Existing rows keep null variants, which is
-- what they are: no message had a variant before 20261206151727.
set lock_timeout = '500ms';

alter table private.lead_facts
    add column dm1_variant text,
    add column dm2_variant text,
    add column dm3_variant text,
    add column dm4_variant text;

comment on column private.lead_facts.dm1_variant is 'messages.variant of DM 1 (null: sans variante): the lead''s variant.';
comment on column private.lead_facts.dm2_variant is 'messages.variant of DM 2 (null: sans variante).';
comment on column private.lead_facts.dm3_variant is 'messages.variant of DM 3 (null: sans variante).';
comment on column private.lead_facts.dm4_variant is 'messages.variant of DM 4 (null: sans variante).';

create or replace function private.kpi_lead_variant_facts(lead_ids uuid[])
returns table(lead_id uuid, dm1_variant text, dm2_variant text, dm3_variant text, dm4_variant text)
language sql
stable
security invoker
set search_path = ''
as $$
    select
        m.lead_id,
        max(m.variant) filter (where m.message_number = 1),
        max(m.variant) filter (where m.message_number = 2),
        max(m.variant) filter (where m.message_number = 3),
        max(m.variant) filter (where m.message_number = 4)
    from public.messages as m
    where m.lead_id = any (lead_ids) and m.direction = 'out' and m.message_number <= 4 and m.variant is not null
    group by m.lead_id;
$$;

comment on function private.kpi_lead_variant_facts(uuid[]) is
    'Per lead with a variant on one of its outbound DMs 1 to 4: the variant of each (messages.variant of the outbound message numbered N, null when it has none).';

revoke execute on function private.kpi_lead_variant_facts(uuid[]) from public;

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
        (coalesce(l.last_contact_at, l.created_at) at time zone c.timezone)::date,
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
        v.dm1_variant, v.dm2_variant, v.dm3_variant, v.dm4_variant
    from public.leads as l
    join public.coachs as c on c.id = l.coach_id
    left join public.message_sequences as s on s.lead_id = l.id
    left join private.kpi_lead_stage_facts(lead_ids) as e on e.lead_id = l.id
    left join private.kpi_lead_message_facts(lead_ids) as m on m.lead_id = l.id
    left join private.kpi_lead_variant_facts(lead_ids) as v on v.lead_id = l.id
    where l.id = any (lead_ids);
$$;

comment on function private.kpi_compute_lead_facts(uuid[]) is
    'The private.lead_facts rows of the given leads, computed now from leads, coachs (time zone), message_sequences, lead_status_events and messages (activity, turns, the variants of DMs 1 to 4). A lead that no longer exists has no row.';
