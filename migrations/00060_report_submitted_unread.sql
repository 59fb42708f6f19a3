-- +goose Up
-- A zone's report reviewed settles the province's 待审核 messages of it
-- (marked read by their link). The notifications table grows with every
-- application's moves; this partial index keeps that update to the few
-- unread messages of the kind.
CREATE INDEX notifications_report_submitted_unread_idx ON notifications(link)
	WHERE kind = 'report_submitted' AND read_at IS NULL;

-- +goose Down
DROP INDEX notifications_report_submitted_unread_idx;
