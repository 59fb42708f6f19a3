-- +goose Up
-- The search index's generation: bumped after every change the outbox
-- worker, a settings update or a reindex makes to Meilisearch. API replicas
-- watch it to know when their cached search results stop being current. A
-- sequence, not a row: bumping it takes no lock and needs no transaction.
CREATE SEQUENCE search_index_generation;

-- +goose Down
DROP SEQUENCE search_index_generation;
