-- +goose Up
-- The search self-heal's last check and rebuild, kept in Postgres so that
-- whichever replica answers sees it: the check runs as one periodic job on
-- one replica, while the operators' readiness and the staff status page may
-- be served by any other. One row.
CREATE TABLE search_heal_state (
    id           boolean PRIMARY KEY DEFAULT true CHECK (id),
    checked_at   timestamptz,
    outcome      text NOT NULL DEFAULT '',
    documents    bigint NOT NULL DEFAULT 0,
    searchable   bigint NOT NULL DEFAULT 0,
    running      boolean NOT NULL DEFAULT false,
    done         bigint NOT NULL DEFAULT 0,
    total        bigint NOT NULL DEFAULT 0,
    started_at   timestamptz,
    progress_at  timestamptz,
    finished_at  timestamptz,
    rebuilds     bigint NOT NULL DEFAULT 0
);
INSERT INTO search_heal_state DEFAULT VALUES;

-- +goose Down
DROP TABLE search_heal_state;
