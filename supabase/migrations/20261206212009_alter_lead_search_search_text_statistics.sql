-- Purpose: a finer histogram of private.lead_search.search_text (statistics 1000), so a search's plan follows how many leads its pattern matches.

set lock_timeout = '500ms';

-- A catalog change (share update exclusive: writers go on); the next analyze (autovacuum) uses it.
alter table private.lead_search alter column search_text set statistics 1000;
