-- Security (issue 5): per-account proof policy, the device's next provisioning password.
-- Written for H2 (DATABASE_TO_LOWER) and PostgreSQL alike.

create table account_policy (
    account_id        varchar(40)   not null primary key references account (id),
    -- Comma-separated subset of: certificate, digest, basic.
    proofs            varchar(60)   not null,
    -- Comma-separated CIDR blocks; empty means any source.
    allowed_sources   varchar(4000) not null,
    plain_http        boolean       not null,
    updated_at        timestamp with time zone not null
);

alter table device add column prov_password_next_enc varchar(200);
