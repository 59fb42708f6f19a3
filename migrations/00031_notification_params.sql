-- +goose Up
-- A notification's title is written in Chinese when it is raised; its
-- params keep what it was about (the opening, the graduate, the status …)
-- so the site can say it in the reader's language (domain.Notification.In).
ALTER TABLE notifications ADD COLUMN params jsonb NOT NULL DEFAULT '{}'::jsonb;

-- +goose Down
ALTER TABLE notifications DROP COLUMN params;
