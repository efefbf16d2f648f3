-- Per-coach parameters the data cannot give, created with the coach.

create table public.coach_settings (
    coach_id uuid not null,
    setter_monthly_cost numeric(10,2) not null default 297.00,
    minutes_per_manual_message numeric(6,2) not null default 4.00,
    default_no_show_rate numeric(5,4) not null default 0.1700,
    currency text not null default 'EUR',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    setter_cost_confirmed_at timestamptz,
    constraint coach_settings_cost_positive check (setter_monthly_cost >= 0),
    constraint coach_settings_currency_code check (currency ~ '^[A-Z]{3}$'),
    constraint coach_settings_minutes_positive check (minutes_per_manual_message >= 0),
    constraint coach_settings_no_show_rate_range check (default_no_show_rate between 0 and 1),
    constraint coach_settings_pkey primary key (coach_id),
    constraint coach_settings_coach_id_fkey foreign key (coach_id) references public.coachs(id) on delete cascade
);

alter table public.coach_settings enable row level security;

create policy coach_settings_select_authenticated on public.coach_settings
    for select to authenticated
    using (coach_id = (select auth.uid()) or (select public.is_admin()));

grant select, insert, update, delete, references, trigger on table public.coach_settings to anon, authenticated;
grant all on table public.coach_settings to service_role;

comment on table public.coach_settings is
    'Per-coach parameters for KPIs that the data cannot give (costs, estimates). One row per coach, created by trigger.';
comment on column public.coach_settings.coach_id is 'The coach these settings belong to.';
comment on column public.coach_settings.setter_monthly_cost is 'Monthly cost of the AI setter for this coach, in currency units; feeds acquisition cost and ROI.';
comment on column public.coach_settings.minutes_per_manual_message is 'Minutes a human setter spends per outbound DM; feeds "time saved vs a human setter".';
comment on column public.coach_settings.default_no_show_rate is 'No-show rate (0..1) shown, flagged as estimated, while no call outcome is known (brief: 17 %).';
comment on column public.coach_settings.currency is 'ISO 4217 code of deal values and costs.';
comment on column public.coach_settings.created_at is 'When the settings row was created.';
comment on column public.coach_settings.updated_at is 'Last update, maintained by trigger.';
comment on column public.coach_settings.setter_cost_confirmed_at is 'When the coach last gave its setter''s monthly cost (update_coach_settings); null while setter_monthly_cost is the default, so cost-based KPIs (ROI, acquisition cost) are estimated.';

create trigger coach_settings_set_updated_at
    before update on public.coach_settings
    for each row execute function private.set_updated_at();

create or replace function private.create_coach_settings()
returns trigger
language plpgsql
volatile
security invoker
set search_path = ''
as $$
begin
    insert into public.coach_settings (coach_id) values (new.id) on conflict (coach_id) do nothing;
    return new;
end;
$$;

comment on function private.create_coach_settings() is
    'Trigger function: gives every new coach a coach_settings row with the default parameters.';

create trigger coachs_create_settings
    after insert on public.coachs
    for each row execute function private.create_coach_settings();
