-- Schema: the tables, their columns, keys, constraints and the indexes behind every foreign key.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(26);

select tables_are(
    'public',
    array['coachs', 'coach_settings', 'leads', 'lead_status_events', 'messages', 'message_sequences', 'kpi_daily',
          'lead_notes', 'lead_events_set_aside', 'provider_events', 'lead_payments'],
    'public holds exactly the product tables'
);

select columns_are('public', 'coachs',
    array['id', 'name', 'specialty', 'email', 'timezone', 'created_at', 'updated_at']);
select columns_are('public', 'coach_settings',
    array['coach_id', 'setter_monthly_cost', 'minutes_per_manual_message', 'default_no_show_rate', 'currency',
          'created_at', 'updated_at', 'setter_cost_confirmed_at']);
select columns_are('public', 'leads',
    array['id', 'coach_id', 'user_id_instagram', 'contact_id', 'instagram_username', 'first_name', 'last_name',
          'email', 'age', 'gender', 'job_title', 'lead_status', 'status', 'status_changed_at', 'lost_reason', 'source',
          'total_messages_sent', 'total_messages_received', 'time_to_action_minutes', 'deal_value',
          'lead_magnet_sent_at', 'call_showed', 'last_contact_at', 'created_at', 'updated_at', 'followed_up_at',
          'call_at', 'payment_plan', 'instalment_count', 'deal_value_source', 'call_showed_source', 'lost_reason_source',
          'outcome_recorded_at']);
select columns_are('public', 'lead_status_events',
    array['id', 'lead_id', 'coach_id', 'from_status', 'to_status', 'changed_at', 'recorded_at', 'source', 'author_id',
          'kind', 'details']);
select columns_are('public', 'messages',
    array['id', 'lead_id', 'coach_id', 'external_id', 'text', 'direction', 'message_number', 'is_replied',
          'replied_at', 'created_at', 'updated_at', 'variant']);
select columns_are('public', 'message_sequences',
    array['id', 'coach_id', 'lead_id',
          'msg1_sent_at', 'msg1_replied', 'msg1_replied_at', 'msg2_sent_at', 'msg2_replied', 'msg2_replied_at',
          'msg3_sent_at', 'msg3_replied', 'msg3_replied_at', 'msg4_sent_at', 'msg4_replied', 'msg4_replied_at',
          'call_proposed_at', 'call_booked_at', 'created_at', 'updated_at']);

select col_type_is('public', 'leads', 'deal_value', 'numeric(12,2)', 'deal_value is money-safe numeric');
select col_type_is('public', 'leads', 'call_showed', 'boolean', 'call_showed is a nullable boolean');
select col_default_is('public', 'coachs', 'timezone', 'Europe/Paris', 'coach timezone defaults to Europe/Paris');
select col_default_is('public', 'coach_settings', 'default_no_show_rate', '0.1700', 'default no-show rate is the brief''s 17 %');
select col_not_null('public', 'leads', 'status', 'every lead has a status');

select col_is_pk('public', 'coachs', 'id', 'coachs.id is the primary key');
select col_is_pk('public', 'coach_settings', 'coach_id', 'one settings row per coach');
select col_is_unique('public', 'leads', 'user_id_instagram', 'one lead per Instagram user id');
select col_is_unique('public', 'messages', array['coach_id', 'external_id'], 'one message per ManyChat id and coach');
select col_is_unique('public', 'message_sequences', 'lead_id', 'one sequence per lead');

select fk_ok('public', 'leads', 'coach_id', 'public', 'coachs', 'id');
select fk_ok('public', 'messages', array['lead_id', 'coach_id'], 'public', 'leads', array['id', 'coach_id']);
select fk_ok('public', 'message_sequences', array['lead_id', 'coach_id'], 'public', 'leads', array['id', 'coach_id']);
select fk_ok('public', 'lead_status_events', array['lead_id', 'coach_id'], 'public', 'leads', array['id', 'coach_id']);

select is(
    (select array_agg(conname::text order by conname) from pg_constraint
     where conrelid = 'public.leads'::regclass and contype = 'c'),
    array['leads_age_range', 'leads_call_showed_source_valid', 'leads_counters_positive', 'leads_deal_value_positive',
          'leads_deal_value_source_valid', 'leads_email_format', 'leads_gender_valid', 'leads_instagram_id_present',
          'leads_instalment_count_range', 'leads_lost_reason_source_valid', 'leads_lost_reason_valid',
          'leads_payment_plan_valid', 'leads_status_valid', 'leads_text_lengths', 'leads_time_to_action_positive'],
    'leads carries its check constraints'
);

-- Every foreign key is backed by an index whose leading columns are the key's columns.
select is(
    (select coalesce(array_agg(c.conrelid::regclass::text || '.' || c.conname order by c.conname), '{}')
     from pg_constraint as c
     where c.contype = 'f'
        and c.connamespace = 'public'::regnamespace
        and not exists (
            select 1 from pg_index as i
            where i.indrelid = c.conrelid
                and (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey
                and (i.indkey::int2[])[0:cardinality(c.conkey) - 1] <@ c.conkey
        )),
    '{}'::text[],
    'every foreign key in public has an index'
);

select is(
    (select coalesce(array_agg(c.relname::text order by c.relname), '{}') from pg_class as c
     where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relrowsecurity),
    '{}'::text[],
    'row level security is enabled on every table in public'
);

-- Every table, column and API function is documented.
select is(
    (select coalesce(array_agg(x.name order by x.name), '{}') from (
        select c.relname::text as name from pg_class as c
        where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' and obj_description(c.oid, 'pg_class') is null
        union all
        select c.relname || '.' || a.attname from pg_class as c
        join pg_attribute as a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
        where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' and col_description(c.oid, a.attnum) is null
    ) as x),
    '{}'::text[],
    'every table and column in public has a comment'
);
select is(
    (select coalesce(array_agg(p.proname::text order by 1), '{}') from pg_proc as p
     where p.pronamespace = 'public'::regnamespace and obj_description(p.oid, 'pg_proc') is null),
    '{}'::text[],
    'every function in public has a comment'
);

select * from finish();
rollback;
