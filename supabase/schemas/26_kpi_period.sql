-- KPI engine: a resolved period.

create type private.kpi_period as (
    key text,
    start_day date,
    end_day date,
    days integer,
    previous_start date,
    previous_end date,
    bucket text,
    timezone text,
    today date,
    previous_until timestamp with time zone
);

comment on type private.kpi_period is
    'A resolved period: key (today, 7d, 30d, 90d, all, range), first and last local day (inclusive), number of days, the previous period of the same length (null for all), the trend bucket (day; week beyond 90 days; month beyond 366: private.kpi_trend_bucket), the coach''s time zone and its today, and previous_until: for a period that ends today, the instant its previous period is cut at (previous_end at the same local time of day), else null.';
