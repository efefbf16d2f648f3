-- Purpose: messages.variant, the A/B branch of an outbound message (issue 22), with its check added NOT VALID.

-- A nullable column without a default is a catalog change (no rewrite). The check is added NOT VALID (a short lock,
-- no scan; rows written from now on are checked) and validated by the next migration, which takes no lock that
-- blocks readers or writers. Every existing row has a null variant, so the validation cannot fail.
set lock_timeout = '500ms';

alter table public.messages
    add column variant text,
    add constraint messages_variant_valid
        check (variant is null or (direction = 'out' and char_length(variant) between 1 and 100)) not valid;

comment on column public.messages.variant is 'Which version of the script an outbound message is (an A/B branch name such as a ManyChat Randomizer path), up to 100 characters; null when none (shown "sans variante"). A lead''s variant is that of its DM 1 (docs/kpis.md, variants).';
