-- +goose Up
-- The cells of an import's refused rows, as read, each with its row number
-- ([{"row": 5, "cells": ["…", …]}]): staff download them as a workbook to
-- correct and upload again (an import probe: the result page named 200 bad
-- rows, and staff had to find each in their file). NULL for imports before
-- this, and for failed ones (nothing of them was written: the file itself
-- is uploaded again).
-- correctable_rows counts them, so that reading a job (polled while it
-- runs) does not read the rows.
ALTER TABLE import_jobs
    ADD COLUMN refused_rows jsonb,
    ADD COLUMN correctable_rows int NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE import_jobs
    DROP COLUMN correctable_rows,
    DROP COLUMN refused_rows;
