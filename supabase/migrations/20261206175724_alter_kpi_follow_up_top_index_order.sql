-- Purpose: private.kpi_follow_up_top reads each rule's first leads in index order (enable_bitmapscan off): the planner read every lead of a status through a bitmap and sorted them, 609 ms for a 40,000-lead coach.

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

alter function private.kpi_follow_up_top(uuid, date, integer) set enable_bitmapscan = off;

comment on function private.kpi_follow_up_top(uuid, date, integer) is
    'The n most urgent leads of the follow-up list from private.lead_facts, as FollowUpLead[]: at most n per rule read in index order (lead_facts_follow_up_idx), then the first n overall. enable_bitmapscan off: the planner guesses a few rows per rule and reads every lead of the status through a bitmap to sort them (609 ms for a 40,000-lead coach) instead of the first n in index order (about 800 buffers whatever the history).';
