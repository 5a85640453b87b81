-- The add-user workflow: portal password, E911 confirmation/override, custom greetings, e-mail outbox.
-- Written for H2 (DATABASE_TO_LOWER) and PostgreSQL alike: one column per ALTER, BYTEA for audio.

alter table app_user add column portal_password_hash varchar(200);
-- E911: null street = not overridden, the location's address applies (and follows a location change).
alter table app_user add column e911_street varchar(200);
alter table app_user add column e911_city varchar(100);
alter table app_user add column e911_region varchar(100);
alter table app_user add column e911_postal_code varchar(20);
alter table app_user add column e911_country varchar(2);
alter table app_user add column e911_confirmed boolean default false not null;

create table greeting (
    user_id       varchar(40)  not null primary key references app_user (id) on delete cascade,
    encoding      varchar(10)  not null,
    sample_rate   integer      not null,
    duration_ms   integer      not null,
    byte_size     integer      not null,
    sha256        varchar(64)  not null,
    audio         bytea        not null,
    created_at    timestamp with time zone not null
);

-- Transactional outbox: a row is written in the same transaction as the user; a background sender
-- delivers it. The temporary password is kept sealed (AES-GCM) only until delivery or failure.
create table email_outbox (
    id               varchar(40)   not null primary key,
    account_id       varchar(40)   not null references account (id),
    user_id          varchar(40)   not null references app_user (id) on delete cascade,
    kind             varchar(20)   not null,
    recipient        varchar(254)  not null,
    password_enc     varchar(200),
    status           varchar(20)   not null,
    attempts         integer       not null,
    last_error       varchar(1000),
    next_attempt_at  timestamp with time zone not null,
    created_at       timestamp with time zone not null,
    sent_at          timestamp with time zone
);
create index email_outbox_due on email_outbox (status, next_attempt_at);
create index email_outbox_user on email_outbox (user_id, created_at);
