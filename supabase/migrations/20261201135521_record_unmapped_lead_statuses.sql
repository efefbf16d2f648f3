-- Purpose: keep every legacy lead_status outside the upgrade's status mapping in private.legacy_values, where the other changed legacy values are.

-- 20261125000500 maps the legacy free-text lead_status to status and sends any spelling it does not know to 'new'.
-- lead_status itself stays on the row, unchanged; this also lists those rows in private.legacy_values (column
-- lead_status), so "what did the upgrade not understand" has one answer. The list below is the mapping's, every
-- key of its CASE. Idempotent: a row already listed is not listed twice. Reads leads, writes only legacy_values.
set lock_timeout = '500ms';

insert into private.legacy_values (table_name, row_id, column_name, original_value)
select 'public.leads', l.id, 'lead_status', l.lead_status
from public.leads as l
where l.lead_status is not null
    and lower(btrim(l.lead_status)) not in (
        'new', 'nouveau',
        'engaged', 'engagé', 'engage', 'en discussion', 'contacted', 'contacté',
        'qualified', 'qualifié', 'qualifie',
        'call_proposed', 'call proposé',
        'call_booked', 'call réservé', 'booked',
        'won', 'gagné', 'gagne', 'client',
        'lost', 'perdu',
        'relance', 'à relancer', 'follow_up'
    )
    and not exists (
        select 1 from private.legacy_values as v
        where v.table_name = 'public.leads' and v.row_id = l.id and v.column_name = 'lead_status'
    );
