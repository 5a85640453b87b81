-- A token may expire; a token minted by another token is revoked with it (created_by names the minter).
alter table api_token add column expires_at timestamp with time zone;
alter table api_token add column created_by varchar(40);
create index api_token_created_by on api_token (created_by);
