-- Purpose: the open entries of private.kpi_facts (open_keys, open_counts) are stored in the row (storage main: compressed when need be, moved out last) rather than in the TOAST table, so a range reads them without a TOAST lookup per covering row; the rows already written are moved by the next migration.

set local lock_timeout = '500ms';
set local statement_timeout = '30s';

-- a change of the catalog only: no rewrite (new values follow it; the next migration writes the existing ones again)
alter table private.kpi_facts alter column open_keys set storage main;

alter table private.kpi_facts alter column open_counts set storage main;
