-- Written for H2 (MODE default, DATABASE_TO_LOWER) and PostgreSQL alike.

-- Custom template variables (a JSON object of name -> text), per account and per device.
alter table account add column vars varchar(8000);
alter table device add column vars varchar(8000);

-- The model the phone's User-Agent last claimed (for records only, never identity).
alter table device add column last_model varchar(60);

-- Phones that asked for a MAC-specific file under a MAC no account owns. Bounded: oldest evicted.
create table discovered_device (
    mac            varchar(12)  not null primary key,
    family         varchar(60),
    model          varchar(60),
    ua_model       varchar(60),
    firmware       varchar(60),
    user_agent     varchar(300),
    last_ip        varchar(64),
    first_seen_at  timestamp with time zone not null,
    last_seen_at   timestamp with time zone not null,
    request_count  bigint       not null
);
create index discovered_device_last_seen on discovered_device (last_seen_at);
