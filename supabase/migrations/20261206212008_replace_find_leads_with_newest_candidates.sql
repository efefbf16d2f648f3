-- Purpose: private.find_leads ranks only the 100 newest matching leads of the coach (read from lead_search_coach_id_created_at_idx, or from the trigram index when few match) and joins only the page to the leads: a search costs what a page costs, not what the matches do.

set lock_timeout = '500ms';

create or replace function private.find_leads(query text, coach_id uuid, max_rows integer)
returns table(lead_id uuid, first_name text, last_name text, instagram_username text, email text, status text, last_contact_at timestamp with time zone, created_at timestamp with time zone)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
    coach constant uuid := private.check_coach_access(find_leads.coach_id);
    -- the most a page can show (max_rows is at most 100): the cost of a search is bounded by it, not by the matches
    candidate_rows constant integer := 100;
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
    -- dynamic: planned with the pattern known. The candidates are the coach's newest matching leads, at most
    -- candidate_rows: read newest first from lead_search_coach_id_created_at_idx and cut there (a common pattern), or
    -- found by the trigram index and sorted (a rare one, so few). Only they are ranked (a word starting with the first
    -- word first), and only the page's rows are joined to the leads.
    return query execute $q$
        with candidates as (
            select s.lead_id, s.created_at, (' ' || s.search_text) like $3 as word_start
            from private.lead_search as s
            where s.coach_id = $1 and s.search_text like $2
            order by s.created_at desc nulls last, s.lead_id desc
            limit $5
        ), page as (
            select c.lead_id, c.created_at, c.word_start
            from candidates as c
            order by c.word_start desc, c.created_at desc nulls last, c.lead_id desc
            limit $4
        )
        select l.id, l.first_name, l.last_name, l.instagram_username, l.email, l.status, l.last_contact_at, l.created_at
        from page as p
        join public.leads as l on l.id = p.lead_id
        order by p.word_start desc, p.created_at desc nulls last, p.lead_id desc
    $q$
    using coach, '%' || array_to_string(words, '%') || '%', '% ' || words[1] || '%', max_rows, candidate_rows;
end;
$$;

comment on function private.find_leads(text, uuid, integer) is
    'The search of public.search_leads for a coach: the 100 newest matching leads (private.lead_search, by its created_at index or its trigram index), ranked, the page joined to the leads. Security definer: checks the caller (private.check_coach_access). Errors: 22023 a query longer than 200 characters or max_rows not 1..100; 42501 another coach''s id (admins may); 22004 no coach id; PT404 unknown coach.';

comment on function public.search_leads(text, uuid, integer) is
    'A coach''s leads (default: the caller''s) found by first or last name, Instagram @handle or email: case- and accent-insensitive, partial words, several words in order ("zoé" finds Zoe Martin, "zoe mar" too, "@zoe_m" the handle). At most max_rows rows (1 to 100, default 20): lead_id, first_name, last_name, instagram_username, email, status, last_contact_at, created_at; among the 100 newest matching leads, those with a word starting with the first word typed first, then the newest. A query without a word returns nothing. Errors: 22023 a query over 200 characters or a bad max_rows; 42501 another coach''s id (admins may search any coach); 22004 no coach id; PT404 unknown coach.';
