-- get_variant_report: which opening message (and follow-up) does better, with an honest verdict (issue 22).

create or replace function public.get_variant_report(
    coach_id uuid default auth.uid(),
    period text default '30d',
    period_start date default null,
    period_end date default null
)
returns jsonb
language sql
stable
security invoker
set search_path = ''
begin atomic
    select private.kpi_variant_report(get_variant_report.coach_id, get_variant_report.period,
        get_variant_report.period_start, get_variant_report.period_end);
end;

comment on function public.get_variant_report(uuid, text, date, date) is
    'The DM variants of a coach (default: the caller) over a period (default 30d; today, 7d, 30d, 90d, all, or range with period_start and period_end, as get_dashboard): a JSON array, one entry per DM step 1 to 4, {step, variants: [{variant (null: sans variante), sent, replied, rate, ci_low, ci_high (95 % Wilson, in % with 1 decimal), low_sample, qualified, booked, won}], verdict: {status: not_enough_data | too_close | better, best, probability (in %, when better), min_sent, threshold}}. Counts the leads whose DM N was sent in the period, under DM N''s own variant. Errors as get_dashboard: 22023 a bad period, 42501 another coach, 22004 no coach id, PT404 unknown coach.';

revoke execute on function public.get_variant_report(uuid, text, date, date) from public, anon;
grant execute on function public.get_variant_report(uuid, text, date, date) to authenticated, service_role;
