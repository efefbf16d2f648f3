-- Purpose: coach_settings.setter_cost_confirmed_at, so ROI and acquisition cost are "estimated" until the coach gives its own cost.

set local lock_timeout = '3s';
set local statement_timeout = '30s';

-- A nullable column without a default: a catalog change only, no table rewrite, no backfill.
alter table public.coach_settings add column if not exists setter_cost_confirmed_at timestamptz;

comment on column public.coach_settings.setter_cost_confirmed_at is
    'When the coach last gave its setter''s monthly cost (update_coach_settings); null while setter_monthly_cost is the default, so cost-based KPIs (ROI, acquisition cost) are estimated.';
