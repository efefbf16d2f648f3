-- Purpose: default minutes per manual message 4.00 (was 4.50), so the seed's demo coach saves about the brief's 47 h a month.

-- Julie (the seed's main demo coach, 120 leads) sends about 717 outbound DMs in 30 days: 717 x 4.00 / 60 = 47.8 h
-- (4.50 gave 53.8 h). Coaches still at the old default follow; a value a coach chose is kept.
alter table public.coach_settings
    alter column minutes_per_manual_message set default 4.00;

update public.coach_settings
set minutes_per_manual_message = 4.00
where minutes_per_manual_message = 4.50;
