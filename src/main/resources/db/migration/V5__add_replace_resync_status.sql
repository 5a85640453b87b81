-- Handset replacement, resync and sync status.
alter table device add column replaced_by varchar(12);
alter table device add column retired_at timestamp with time zone;
alter table device add column last_etag varchar(40);
alter table device add column sip_contact varchar(300);
alter table account add column auto_resync boolean default false not null;
-- The server URL the device reached us at when it last fetched, so "what it would get now" can be rendered.
alter table device add column last_base_url varchar(300);
