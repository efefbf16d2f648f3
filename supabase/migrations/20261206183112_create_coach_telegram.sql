-- Purpose: the Telegram bot a coach connects for its hot leads (issue 21 §3): token, chat and how its last sends went (private.coach_telegram).

set lock_timeout = '500ms';

create table private.coach_telegram (
    coach_id uuid not null,
    bot_token text not null,
    chat_id text not null,
    connected_at timestamptz not null default now(),
    revoked_at timestamptz,
    last_sent_at timestamptz,
    last_error text,
    last_error_at timestamptz,
    updated_at timestamptz not null default now(),
    constraint coach_telegram_bot_token_format check (bot_token ~ '^[0-9]{1,20}:[A-Za-z0-9_-]{20,100}$'),
    constraint coach_telegram_chat_id_format check (chat_id ~ '^(-?[0-9]{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31})$'),
    constraint coach_telegram_pkey primary key (coach_id),
    constraint coach_telegram_coach_id_fkey foreign key (coach_id) references public.coachs(id) on delete cascade
);

comment on table private.coach_telegram is
    'The Telegram bot a coach connected for its hot leads (one per coach): written by the telegram-connect edge function once Telegram accepted a test message (private.telegram_connect), removed by public.disconnect_telegram; the send-telegram function sends the outbox through it. The token is never returned by the API.';
comment on column private.coach_telegram.coach_id is 'The coach.';
comment on column private.coach_telegram.bot_token is 'The bot''s token from @BotFather (digits, a colon, 20 to 100 letters, digits, _ or -); a secret: read only by private functions.';
comment on column private.coach_telegram.chat_id is 'Where the messages go: a chat id (digits, negative for a group) or a public @channelusername.';
comment on column private.coach_telegram.connected_at is 'When Telegram last accepted the test message of a save.';
comment on column private.coach_telegram.revoked_at is 'When Telegram answered 401 Unauthorized (the token was revoked): nothing is sent any more until the coach saves a new token; null while it works.';
comment on column private.coach_telegram.last_sent_at is 'When Telegram last accepted a message of the outbox.';
comment on column private.coach_telegram.last_error is 'The last failure (Telegram''s error_code and description, or the network error), shown in the settings as "dernier envoi échoué : …" while it is more recent than last_sent_at.';
comment on column private.coach_telegram.last_error_at is 'When last_error happened.';
comment on column private.coach_telegram.updated_at is 'Last change.';

create trigger coach_telegram_set_updated_at
    before update on private.coach_telegram
    for each row execute function private.set_updated_at();
