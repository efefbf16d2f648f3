-- Purpose: private.kpi_range_cover computes the same cover by date arithmetic in PL/pgSQL instead of a query over CTEs (about 4x faster; the cover is computed twice per range document).

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

-- function private.kpi_range_cover(date, date), as supabase/schemas/43_kpi_period.sql defines it
create or replace function private.kpi_range_cover(from_day date, to_day date)
returns table (grain text, first_day date, last_day date)
language plpgsql
immutable
rows 7
security invoker
set search_path = ''
as $$
declare
    -- the whole months inside [from_day, to_day]: [months_from, months_to - 1], none when months_from >= months_to
    months_from date := case when extract(day from from_day) = 1 then from_day
        else (date_trunc('month', from_day) + interval '1 month')::date end;
    months_to date := case when extract(day from to_day + 1) = 1 then to_day + 1
        else date_trunc('month', to_day)::date end;
    has_months boolean := months_from < months_to;
    -- the rests: 1 = the whole range (plan w: weeks and days); 2 and 3 = before and after the months (plan m)
    rest_a date[] := array[from_day, from_day, months_to];
    rest_b date[] := array[to_day, months_from - 1, to_day];
    rows_w integer := 0;
    rows_m integer := 0;
    use_months boolean;
    a date;
    b date;
    wf date;
    wl date;
    n integer;
begin
    -- the rows of each plan: in a rest [a, b], its whole ISO weeks (first Monday wf, last Sunday wl) one row each and
    -- the days around them one row each
    for i in 1..3 loop
        continue when i > 1 and not has_months;
        a := rest_a[i];
        b := rest_b[i];
        continue when a > b;
        wf := a + (8 - extract(isodow from a)::integer) % 7;
        wl := b - extract(isodow from b)::integer % 7;
        n := case when wf + 6 <= wl then (wl - wf + 1) / 7 + (wf - a) + (b - wl) else b - a + 1 end;
        if i = 1 then
            rows_w := n;
        else
            rows_m := rows_m + n;
        end if;
    end loop;
    -- plan m when it has whole months and no more rows than plan w (months on a tie)
    use_months := has_months and rows_m + (extract(year from months_to - 1)::integer * 12
        + extract(month from months_to - 1)::integer - extract(year from months_from)::integer * 12
        - extract(month from months_from)::integer + 1) <= rows_w;
    for i in 1..3 loop
        continue when (i = 1) = use_months;
        if i = 3 then
            grain := 'month';
            first_day := months_from;
            last_day := months_to - 1;
            return next;
        end if;
        a := rest_a[i];
        b := rest_b[i];
        continue when a > b;
        wf := a + (8 - extract(isodow from a)::integer) % 7;
        wl := b - extract(isodow from b)::integer % 7;
        if wf + 6 <= wl then
            if a < wf then
                grain := 'day';
                first_day := a;
                last_day := wf - 1;
                return next;
            end if;
            grain := 'week';
            first_day := wf;
            last_day := wl - 6;
            return next;
            if wl < b then
                grain := 'day';
                first_day := wl + 1;
                last_day := b;
                return next;
            end if;
        else
            grain := 'day';
            first_day := a;
            last_day := b;
            return next;
        end if;
    end loop;
end;
$$;

comment on function private.kpi_range_cover(date, date) is
    'The rows of private.kpi_facts that hold the local days from_day to to_day (inclusive) exactly once, as (grain, first_day, last_day) ranges of the rows'' day: either the whole months inside plus, before and after them, whole ISO weeks and the remaining days, or whole weeks and the remaining days, whichever has fewer rows (months on a tie). At most 7 ranges: the whole months, up to 2 runs of whole weeks and up to 4 runs of at most 6 days each, whatever the history (a 45-day range: at most 15 rows, 11 on average, where day rows took up to 45). Computed by date arithmetic, without a query (a quarter of the time of the former CTE version: the cover is computed twice per range document).';

revoke execute on function private.kpi_range_cover(date, date) from public;
