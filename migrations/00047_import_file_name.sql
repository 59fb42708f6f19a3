-- +goose Up
-- The name of the file an import read, as the uploader's computer named it:
-- the imports list showed two uploads of different files at one minute as
-- the same line (an import probe). Imports before this read ''.
ALTER TABLE import_jobs
    ADD COLUMN file_name text NOT NULL DEFAULT '' CHECK (length(file_name) <= 255);

-- +goose Down
ALTER TABLE import_jobs
    DROP COLUMN file_name;
