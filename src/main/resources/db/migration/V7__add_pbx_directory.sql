-- The SIP server's directory: per-account SIP settings, enabled flags, no-answer forwarding, pbx tokens.
-- Written for H2 (DATABASE_TO_LOWER) and PostgreSQL alike: one column per ALTER.

-- A disabled account's users (and a disabled user) are unknown to the SIP server and get a disabled line.
alter table account add column enabled boolean default true not null;
-- Per-account SIP settings; null = the configuration's sip.* default.
alter table account add column sip_domain varchar(253);
alter table account add column sip_registrar varchar(253);
alter table account add column sip_port integer;
alter table account add column sip_transport varchar(3);
alter table account add column sip_realm varchar(253);

alter table app_user add column enabled boolean default true not null;
-- Forward when the user does not answer within no_answer_seconds (both null: no such forward).
alter table app_user add column no_answer_forward varchar(20);
alter table app_user add column no_answer_seconds integer;

-- A pbx token may be limited to the addresses of its SIP servers (comma-separated CIDR blocks; empty: any)
-- and to a list of accounts (rows below; none: every account).
alter table api_token add column allowed_sources varchar(4000) default '' not null;

create table api_token_account (
    token_id    varchar(40) not null references api_token (id),
    account_id  varchar(40) not null references account (id),
    primary key (token_id, account_id)
);
-- A SIP server looks users up by extension across the accounts it serves.
create index app_user_by_extension on app_user (extension);
