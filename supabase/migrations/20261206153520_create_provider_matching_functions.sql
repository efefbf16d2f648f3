-- Purpose: how a Calendly or Stripe event finds its lead: a lead id carried by the link (utm_content, client_reference_id, metadata.lead_id), then the email, then the Instagram handle or the Stripe customer of an earlier payment; and the smallest unit of a currency.

set lock_timeout = '500ms';

-- The first of the candidates that identifies exactly one lead of the coach, and how: reference (a lead id), email,
-- instagram (an @handle or profile link), customer (a Stripe customer an earlier payment of the coach was matched
-- for). An ambiguous email or handle (two leads) matches nothing: the coach attaches the event.
create or replace function private.provider_match(
    coach uuid,
    refs text[],
    emails text[],
    handles text[],
    customer text
)
returns table (lead_id uuid, matched_by text)
language sql
stable
security invoker
set search_path = ''
as $$
    select m.lead_id, m.matched_by
    from (
        select l.id as lead_id, 'reference' as matched_by, 1 as rank
        from unnest(refs) as r (ref)
        join public.leads as l on l.coach_id = coach
            and l.id::text = lower(btrim(r.ref))
        where btrim(r.ref) ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
        union all
        select (array_agg(l.id))[1], 'email', 2
        from public.leads as l
        where l.coach_id = coach
            and lower(l.email) in (select lower(btrim(e)) from unnest(emails) as e where btrim(e) <> '')
        having count(*) = 1
        union all
        select (array_agg(l.id))[1], 'instagram', 3
        from public.leads as l
        where l.coach_id = coach
            and lower(l.instagram_username) in (
                select lower(regexp_replace(btrim(h),
                    '^(https?://)?(www\.)?(instagram\.com/|ig\.me/m/)?@?([A-Za-z0-9._]+)/?$', '\4'))
                from unnest(handles) as h
                where btrim(h) ~* '^(https?://)?(www\.)?(instagram\.com/|ig\.me/m/)?@?[A-Za-z0-9._]{1,30}/?$')
        having count(*) = 1
        union all
        select (array_agg(distinct p.lead_id))[1], 'customer', 4
        from public.lead_payments as p
        where p.coach_id = coach and p.customer_ref = customer and p.lead_id is not null
        having count(distinct p.lead_id) = 1
    ) as m
    order by m.rank
    limit 1;
$$;

comment on function private.provider_match(uuid, text[], text[], text[], text) is
    'The lead of a webhook event: the first of a lead id among refs (reference), a unique lead with one of the emails (email), a unique lead with one of the Instagram handles or profile links (instagram), the unique lead of earlier payments of the same Stripe customer (customer). No row when none matches (the event is "à rattacher").';

-- Stripe amounts are in the currency's smallest unit: most have 2 decimals, Stripe's zero-decimal currencies none,
-- its three-decimal ones 3 (docs.stripe.com/currencies).
create or replace function private.currency_minor_units(currency text)
returns integer
language sql
immutable
security invoker
set search_path = ''
as $$
    select case
        when upper(currency) in ('BIF', 'CLP', 'DJF', 'GNF', 'JPY', 'KMF', 'KRW', 'MGA', 'PYG', 'RWF', 'UGX', 'VND',
            'VUV', 'XAF', 'XOF', 'XPF') then 1
        when upper(currency) in ('BHD', 'JOD', 'KWD', 'OMR', 'TND') then 1000
        else 100
    end;
$$;

comment on function private.currency_minor_units(text) is
    'How many smallest units make one unit of a currency, as Stripe counts amounts: 1 for zero-decimal currencies (JPY…), 1000 for three-decimal ones (KWD…), else 100 (EUR: 120000 = 1 200,00).';

revoke all on function private.provider_match(uuid, text[], text[], text[], text) from public;
revoke all on function private.currency_minor_units(text) from public;
