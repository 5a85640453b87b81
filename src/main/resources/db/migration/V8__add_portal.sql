-- The portal: administrators who log in with a password, browser sessions shared by every instance,
-- the Add User wizard's progress, and one-time password-reset tokens.
-- Written for H2 (DATABASE_TO_LOWER) and PostgreSQL alike.

create table portal_admin (
    id                    varchar(40)  not null primary key,
    username              varchar(100) not null,
    username_key          varchar(100) not null,
    password_hash         varchar(200) not null,
    -- operator (every account), admin (one account), technician (one account; devices only)
    role                  varchar(20)  not null,
    account_id            varchar(40)  references account (id),
    -- A one-time password handed out by `dialtone admins create` must be replaced at first login.
    must_change_password  boolean      not null,
    created_at            timestamp with time zone not null,
    constraint portal_admin_username_key unique (username_key)
);

-- Only the SHA-256 of a session id is stored: a copy of the table opens no session.
create table portal_session (
    id_hash         varchar(64)  not null primary key,
    -- admin | user
    kind            varchar(10)  not null,
    person_id       varchar(40)  not null,
    csrf_token      varchar(64)  not null,
    created_at      timestamp with time zone not null,
    last_active_at  timestamp with time zone not null
);
create index portal_session_person on portal_session (kind, person_id);

-- Users whose Add User wizard is not finished, and the step it resumes at.
create table portal_setup (
    user_id     varchar(40)  not null primary key references app_user (id) on delete cascade,
    next_step   varchar(20)  not null,
    -- The welcome e-mail goes out when the wizard is done, not before the phone and greeting are set up.
    send_welcome boolean     not null,
    updated_at  timestamp with time zone not null
);

-- When the user last chose their own portal password; null while it is a temporary one (forced change).
alter table app_user add column portal_password_changed_at timestamp with time zone;

-- "Forgot password": only the SHA-256 of the e-mailed token is stored; single use, expiring.
create table password_reset (
    token_hash  varchar(64)  not null primary key,
    user_id     varchar(40)  not null references app_user (id) on delete cascade,
    created_at  timestamp with time zone not null,
    expires_at  timestamp with time zone not null,
    used_at     timestamp with time zone
);
create index password_reset_user on password_reset (user_id);
