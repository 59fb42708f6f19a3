-- +goose Up
-- Background work moved from the home-made outbox to River. Rows not yet
-- delivered become River jobs (the kinds, queues and argument shape of
-- internal/jobs, 200 openings a job), so an upgrade loses nothing; then the
-- outbox goes.
INSERT INTO river_job (kind, queue, args, max_attempts, priority, state, scheduled_at, metadata, tags)
SELECT CASE topic WHEN 'index.opening' THEN 'index_openings' ELSE 'opening_alerts' END,
       CASE topic WHEN 'index.opening' THEN 'index' ELSE 'alerts' END,
       jsonb_build_object('ids', jsonb_agg(aggregate_id ORDER BY aggregate_id)),
       10000, 1, 'available', now(), '{}', '{}'
FROM (SELECT topic, aggregate_id,
             (row_number() OVER (PARTITION BY topic ORDER BY aggregate_id) - 1) / 200 AS chunk
      FROM (SELECT DISTINCT topic, aggregate_id FROM outbox
            WHERE done_at IS NULL AND topic IN ('index.opening', 'alert.opening')) d) c
GROUP BY topic, chunk;

DROP TABLE outbox;

-- +goose Down
CREATE TABLE outbox (
    id              bigserial PRIMARY KEY,
    topic           text NOT NULL,
    aggregate_id    text NOT NULL,
    payload         jsonb NOT NULL DEFAULT '{}',
    attempts        int NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    done_at         timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_pending_idx ON outbox(next_attempt_at, id) WHERE done_at IS NULL;
