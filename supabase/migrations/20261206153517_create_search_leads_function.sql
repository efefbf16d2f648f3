-- Purpose: public.search_leads, a coach's leads by first or last name, @handle or email, case- and accent-insensitive, partial words, through the trigram index of private.lead_search.

set lock_timeout = '500ms';

-- The words of a query: folded (accents, case), split on spaces, without a leading @, LIKE's special characters
-- escaped, in order: "Zoé  @Mart_" gives {zoe, mart\_}.
create or replace function private.search_words(query text)
returns text[]
language sql
immutable
security invoker
set search_path = ''
as $$
    select coalesce(array_agg(replace(replace(replace(w.word, '\', '\\'), '%', '\%'), '_', '\_') order by w.n), '{}')
    from (
        select ltrim(s.part, '@') as word, s.n
        from regexp_split_to_table(private.search_fold(query), '\s+') with ordinality as s (part, n)
    ) as w
    where w.word <> '';
$$;

comment on function private.search_words(text) is
    'The words of a search query: folded (private.search_fold), split on white space, a leading @ removed, LIKE''s \ % _ escaped, in their order.';

-- The leads of a coach whose search text holds the words in order, each anywhere ('%w1%w2%'): the trigram index of
-- private.lead_search finds them. Those with a word starting with the first word come first, then the most recently
-- active.
create or replace function private.find_leads(query text, coach_id uuid, max_rows integer)
returns table (
    lead_id uuid,
    first_name text,
    last_name text,
    instagram_username text,
    email text,
    status text,
    last_contact_at timestamptz,
    created_at timestamptz
)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
    coach constant uuid := private.check_coach_access(find_leads.coach_id);
    words text[];
begin
    if query is null or char_length(query) > 200 then
        raise exception using errcode = '22023', message = 'invalid field "query": must be a text of at most 200 characters';
    end if;
    if max_rows is null or max_rows not between 1 and 100 then
        raise exception using errcode = '22023', message = 'invalid field "max_rows": must be 1 to 100',
            detail = 'got ' || coalesce(max_rows::text, 'null');
    end if;
    words := private.search_words(query);
    if cardinality(words) = 0 then
        return;
    end if;
    -- dynamic: planned with the pattern known, so the trigram index is chosen for what this pattern finds
    return query execute $q$
        select l.id, l.first_name, l.last_name, l.instagram_username, l.email, l.status, l.last_contact_at, l.created_at
        from private.lead_search as s
        join public.leads as l on l.id = s.lead_id
        where s.coach_id = $1 and s.search_text like $2
        order by (' ' || s.search_text) like $3 desc, coalesce(l.last_contact_at, l.created_at) desc, l.id
        limit $4
    $q$
    using coach, '%' || array_to_string(words, '%') || '%', '% ' || words[1] || '%', max_rows;
end;
$$;

comment on function private.find_leads(text, uuid, integer) is
    'The search of public.search_leads for a coach. Security definer: checks the caller (private.check_coach_access). Errors: 22023 a query longer than 200 characters or max_rows not 1..100; 42501 another coach''s id (admins may); 22004 no coach id; PT404 unknown coach.';

revoke all on function private.search_words(text) from public;
revoke all on function private.find_leads(text, uuid, integer) from public, anon;
grant execute on function private.find_leads(text, uuid, integer) to authenticated, service_role;

create or replace function public.search_leads(query text, coach_id uuid default auth.uid(), max_rows integer default 20)
returns table (
    lead_id uuid,
    first_name text,
    last_name text,
    instagram_username text,
    email text,
    status text,
    last_contact_at timestamptz,
    created_at timestamptz
)
language sql
stable
security invoker
set search_path = ''
begin atomic
    select f.lead_id, f.first_name, f.last_name, f.instagram_username, f.email, f.status, f.last_contact_at, f.created_at
    from private.find_leads(search_leads.query, search_leads.coach_id, search_leads.max_rows) as f;
end;

comment on function public.search_leads(text, uuid, integer) is
    'A coach''s leads (default: the caller''s) found by first or last name, Instagram @handle or email: case- and accent-insensitive, partial words, several words in order ("zoé" finds Zoe Martin, "zoe mar" too, "@zoe_m" the handle). At most max_rows rows (1 to 100, default 20): lead_id, first_name, last_name, instagram_username, email, status, last_contact_at, created_at; a word starting a name first, then the most recently active. A query without a word returns nothing. Errors: 22023 a query over 200 characters or a bad max_rows; 42501 another coach''s id (admins may search any coach); 22004 no coach id; PT404 unknown coach.';

revoke execute on function public.search_leads(text, uuid, integer) from public, anon;
grant execute on function public.search_leads(text, uuid, integer) to authenticated, service_role;
