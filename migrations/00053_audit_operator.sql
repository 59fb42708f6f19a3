-- +goose Up
-- Who ran an operator's command (`gradzone user …`): its --by, else
-- GRADZONE_OPERATOR, else the OS user and the host ("root@host"). The
-- command line has no session, so actor_id stays NULL; other lines have no
-- operator. A nullable column without a default: no table rewrite.
ALTER TABLE audit_log ADD COLUMN operator text;

-- +goose Down
ALTER TABLE audit_log DROP COLUMN operator;
