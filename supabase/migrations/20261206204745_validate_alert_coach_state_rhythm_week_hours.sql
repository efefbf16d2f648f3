-- Purpose: the check of 20261206204744 on private.alert_coach_state.rhythm (168 weekday-hours) validated, in its own migration.

set lock_timeout = '500ms';

alter table private.alert_coach_state validate constraint alert_coach_state_rhythm_week_hours;
