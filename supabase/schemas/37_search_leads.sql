-- search_leads: a coach's leads by name, @handle or email (pg_trgm, unaccent).

create or replace function private.search_fold(value text)
returns text
language sql
immutable
security invoker
parallel safe
set search_path = ''
as $$
    select pg_catalog.lower(extensions.unaccent('extensions.unaccent'::regdictionary, coalesce(value, '')));
$$;

comment on function private.search_fold(text) is
    'Text folded for search: accents removed (unaccent) and lower case, so "Zoé" and "ZOE" both give "zoe"; null gives ''''.';

revoke execute on function private.search_fold(text) from public;

create or replace function private.lead_search_text(first_name text, last_name text, instagram_username text, email text)
returns text
language sql
immutable
security invoker
parallel safe
set search_path = ''
as $$
    select private.search_fold(pg_catalog.concat_ws(' ', first_name, last_name, instagram_username, email));
$$;

comment on function private.lead_search_text(text, text, text, text) is
    'The search text of a lead: private.search_fold of its first name, last name, Instagram username and email joined by spaces.';

revoke execute on function private.lead_search_text(text, text, text, text) from public;

create table private.lead_search (
    lead_id uuid not null,
    coach_id uuid not null,
    search_text text not null,
    created_at timestamp with time zone,
    constraint lead_search_pkey primary key (lead_id),
    constraint lead_search_lead_id_fkey foreign key (lead_id) references public.leads(id) on delete cascade
);

comment on table private.lead_search is
    'Folded search text of each lead (first name, last name, Instagram username, email), kept by trigger on leads; read by public.search_leads through its trigram index.';
comment on column private.lead_search.lead_id is 'The lead.';
comment on column private.lead_search.coach_id is 'The lead''s coach: the first column of the index, so a search reads one coach''s entries only.';
comment on column private.lead_search.search_text is 'private.search_fold of first name, last name, Instagram username and email, separated by spaces.';
comment on column private.lead_search.created_at is
    'The lead''s created_at (kept by the same triggers): the order of a search''s candidates, newest first, read from lead_search_coach_id_created_at_idx. Null only for a row written before the column existed and not yet filled.';

-- A fine histogram of the search texts: a search's plan (newest first and cut, or by trigrams then sorted) follows
-- how many of a coach's leads its pattern is estimated to match (0.1% steps instead of 1%).
alter table private.lead_search alter column search_text set statistics 1000;

create index lead_search_coach_id_search_text_idx on private.lead_search using gin (coach_id, search_text extensions.gin_trgm_ops);
create index lead_search_coach_id_created_at_idx on private.lead_search (coach_id, created_at desc nulls last, lead_id desc) include (search_text);

create or replace function private.sync_lead_search_rows()
returns trigger
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
    insert into private.lead_search (lead_id, coach_id, search_text, created_at)
    select n.id, n.coach_id, private.lead_search_text(n.first_name, n.last_name, n.instagram_username, n.email), n.created_at
    from new_rows as n
    on conflict (lead_id) do nothing;
    return null;
end;
$$;

comment on function private.sync_lead_search_rows() is
    'Statement trigger function after insert on leads: writes the search text of the new leads into private.lead_search.';

revoke execute on function private.sync_lead_search_rows() from public;

create or replace function private.sync_lead_search_row()
returns trigger
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
    insert into private.lead_search (lead_id, coach_id, search_text, created_at)
    values (new.id, new.coach_id, private.lead_search_text(new.first_name, new.last_name, new.instagram_username, new.email), new.created_at)
    on conflict (lead_id) do update
    set coach_id = excluded.coach_id, search_text = excluded.search_text, created_at = excluded.created_at;
    return null;
end;
$$;

comment on function private.sync_lead_search_row() is
    'Row trigger function after an update of a lead''s names, Instagram username, email, coach or created_at: rewrites its row of private.lead_search.';

revoke execute on function private.sync_lead_search_row() from public;

create trigger leads_sync_search_insert
    after insert on public.leads referencing new table as new_rows
    for each statement execute function private.sync_lead_search_rows();

comment on trigger leads_sync_search_insert on public.leads is
    'Keeps private.lead_search for inserted leads.';

create trigger leads_sync_search_update
    after update of first_name, last_name, instagram_username, email, coach_id, created_at on public.leads
    for each row
    when ((old.first_name, old.last_name, old.instagram_username, old.email, old.coach_id, old.created_at)
        is distinct from (new.first_name, new.last_name, new.instagram_username, new.email, new.coach_id, new.created_at))
    execute function private.sync_lead_search_row();

comment on trigger leads_sync_search_update on public.leads is
    'Keeps private.lead_search when a lead''s names, Instagram username, email, coach or created_at change.';

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

revoke execute on function private.search_words(text) from public;

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

revoke execute on function private.find_leads(text, uuid, integer) from public;
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
    'A coach''s leads (default: the caller''s) found by first or last name, Instagram @handle or email: case- and accent-insensitive, partial words, several words in order ("zoé" finds Zoe Martin, "zoe mar" too, "@zoe_m" the handle). At most max_rows rows (1 to 100, default 20): lead_id, first_name, last_name, instagram_username, email, status, last_contact_at, created_at; among the 100 newest matching leads, those with a word starting with the first word typed first, then the newest. A query without a word returns nothing. Errors: 22023 a query over 200 characters or a bad max_rows; 42501 another coach''s id (admins may search any coach); 22004 no coach id; PT404 unknown coach.';

revoke execute on function public.search_leads(text, uuid, integer) from public, anon;
grant execute on function public.search_leads(text, uuid, integer) to authenticated, service_role;
