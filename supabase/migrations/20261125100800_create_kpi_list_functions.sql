-- Purpose: get_response_rates, get_top_sources and get_top_professions (the brief's names), read from the materialized view.

create or replace function public.get_response_rates(coach_id uuid default auth.uid())
returns table (
    message_number integer,
    sent integer,
    replied integer,
    rate numeric,
    low_sample boolean,
    rating text
)
language sql
stable
security definer
set search_path = ''
as $$
    select
        x.n,
        x.sent,
        x.replied,
        (private.kpi_rate(x.replied, x.sent) ->> 'value')::numeric,
        (private.kpi_rate(x.replied, x.sent) ->> 'low_sample')::boolean,
        private.kpi_rating((private.kpi_rate(x.replied, x.sent) ->> 'value')::numeric)
    from private.dashboard_row(private.check_coach_access(get_response_rates.coach_id)) as k
    cross join lateral (
        values (1, k.msg1_sent, k.msg1_replied), (2, k.msg2_sent, k.msg2_replied),
               (3, k.msg3_sent, k.msg3_replied), (4, k.msg4_sent, k.msg4_replied)
    ) as x (n, sent, replied)
    order by x.n;
$$;

comment on function public.get_response_rates(uuid) is
    'Reply rate of sequence DMs 1 to 4 for a coach (default: the caller): sent = leads that received DM N, replied = those who answered it (message_sequences), rate in % (null when sent = 0), low_sample when sent < 5, rating excellent >= 60, good >= 40, else to_improve. From the materialized view (up to 5 minutes old).';

create or replace function public.get_top_sources(coach_id uuid default auth.uid(), result_limit integer default 3)
returns table (source_name text, lead_count integer, percentage numeric)
language sql
stable
security definer
set search_path = ''
as $$
    select e.item ->> 'label', (e.item ->> 'lead_count')::integer, (e.item ->> 'percentage')::numeric
    from private.dashboard_row(private.check_coach_access(get_top_sources.coach_id)) as k
    cross join lateral jsonb_array_elements(k.sources) with ordinality as e (item, position)
    where e.position <= greatest(coalesce(result_limit, 3), 0)
    order by e.position;
$$;

comment on function public.get_top_sources(uuid, integer) is
    'Top N lead sources of a coach (default: the caller; N default 3) with their lead count and percentage of all the coach''s leads, most leads first (ties by name). From the materialized view.';

create or replace function public.get_top_professions(coach_id uuid default auth.uid(), result_limit integer default 5)
returns table (profession text, lead_count integer, percentage numeric)
language sql
stable
security definer
set search_path = ''
as $$
    select e.item ->> 'label', (e.item ->> 'lead_count')::integer, (e.item ->> 'percentage')::numeric
    from private.dashboard_row(private.check_coach_access(get_top_professions.coach_id)) as k
    cross join lateral jsonb_array_elements(k.professions) with ordinality as e (item, position)
    where e.position <= greatest(coalesce(result_limit, 5), 0)
    order by e.position;
$$;

comment on function public.get_top_professions(uuid, integer) is
    'Top N professions of a coach''s leads (default: the caller; N default 5), job titles trimmed and lower-cased, with count and percentage of the leads whose job title is known. From the materialized view.';

revoke execute on function public.get_response_rates(uuid) from public, anon;
revoke execute on function public.get_top_sources(uuid, integer) from public, anon;
revoke execute on function public.get_top_professions(uuid, integer) from public, anon;
grant execute on function public.get_response_rates(uuid) to authenticated, service_role;
grant execute on function public.get_top_sources(uuid, integer) to authenticated, service_role;
grant execute on function public.get_top_professions(uuid, integer) to authenticated, service_role;
