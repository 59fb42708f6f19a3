-- +goose Up
-- The whole gradzone domain. Rules that protect the programme's numbers live
-- here as constraints, not only in code: one application per graduate and
-- opening, one placement per application, one active placement per graduate
-- and year, and never more active placements than an opening's headcount.

CREATE TABLE provinces (
    code    char(2) PRIMARY KEY CHECK (code ~ '^[0-9]{2}$'),
    name_zh text NOT NULL UNIQUE,
    name_en text NOT NULL
);

CREATE TABLE zones (
    code          text PRIMARY KEY CHECK (code ~ '^[a-z0-9-]{3,64}$'),
    name_zh       text NOT NULL UNIQUE,
    name_en       text NOT NULL,
    province_code char(2) NOT NULL REFERENCES provinces(code),
    city_zh       text NOT NULL,
    approved_year int CHECK (approved_year BETWEEN 1980 AND 2100),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX zones_province_idx ON zones(province_code);

CREATE TABLE employers (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    credit_code   char(18) NOT NULL UNIQUE CHECK (credit_code ~ '^[0-9A-HJ-NP-RTUW-Y]{18}$'),
    type          text NOT NULL CHECK (type IN ('enterprise','university','institute')),
    size          text NOT NULL CHECK (size IN ('micro','small','medium','large')),
    industry      text NOT NULL,
    province_code char(2) NOT NULL REFERENCES provinces(code),
    zone_code     text REFERENCES zones(code),
    status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','verified')),
    verified_at   timestamptz,
    verified_by   uuid,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'verified') = (verified_at IS NOT NULL))
);
CREATE INDEX employers_zone_idx ON employers(zone_code, status);
CREATE INDEX employers_province_idx ON employers(province_code, status);

CREATE TABLE users (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    role          text NOT NULL CHECK (role IN ('graduate','employer','zone_admin','province_admin','ministry_admin')),
    email         text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
    password_hash text NOT NULL,
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    employer_id   uuid REFERENCES employers(id),
    zone_code     text REFERENCES zones(code),
    province_code char(2) REFERENCES provinces(code),
    created_at    timestamptz NOT NULL DEFAULT now(),
    -- Each role carries exactly the scope it needs.
    CHECK ((role = 'employer') = (employer_id IS NOT NULL)),
    CHECK ((role = 'zone_admin') = (zone_code IS NOT NULL)),
    CHECK (role <> 'province_admin' OR province_code IS NOT NULL),
    CHECK (role IN ('zone_admin','province_admin') OR province_code IS NULL)
);
CREATE UNIQUE INDEX users_email_key ON users(email);
ALTER TABLE employers ADD CONSTRAINT employers_verified_by_fkey FOREIGN KEY (verified_by) REFERENCES users(id);

CREATE TABLE graduates (
    user_id          uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    university       text NOT NULL CHECK (length(university) BETWEEN 1 AND 100),
    degree           text NOT NULL CHECK (degree IN ('associate','bachelor','master','doctor')),
    major            text NOT NULL CHECK (length(major) BETWEEN 1 AND 100),
    graduation_year  int NOT NULL CHECK (graduation_year BETWEEN 2000 AND 2100),
    phone            text CHECK (phone ~ '^1[3-9][0-9]{9}$'),
    preferred_cities text[] NOT NULL DEFAULT '{}',
    skills           text[] NOT NULL DEFAULT '{}',
    statement        text NOT NULL DEFAULT '' CHECK (length(statement) <= 2000),
    resume_file      text,
    resume_uploaded_at timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- Refresh tokens rotate: each use marks the token used and issues a child in
-- the same family. Reusing a used token revokes the whole family.
CREATE TABLE refresh_tokens (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    family_id   uuid NOT NULL,
    token_hash  char(64) NOT NULL UNIQUE,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens(family_id);

-- Access tokens revoked before they expire (sign-out), by jti.
CREATE TABLE revoked_access_tokens (
    jti        uuid PRIMARY KEY,
    expires_at timestamptz NOT NULL
);

CREATE TABLE openings (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    employer_id   uuid NOT NULL REFERENCES employers(id),
    title         text NOT NULL CHECK (length(title) BETWEEN 2 AND 100),
    description   text NOT NULL CHECK (length(description) <= 5000),
    discipline    text NOT NULL,
    industry      text NOT NULL,
    degree_min    text NOT NULL CHECK (degree_min IN ('associate','bachelor','master','doctor')),
    majors        text[] NOT NULL DEFAULT '{}',
    headcount     int NOT NULL CHECK (headcount BETWEEN 1 AND 1000),
    city          text NOT NULL CHECK (length(city) BETWEEN 1 AND 50),
    salary_min    int NOT NULL CHECK (salary_min >= 0),
    salary_max    int NOT NULL CHECK (salary_max <= 1000000),
    deadline      date NOT NULL,
    status        text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','pending_review','published','rejected','closed')),
    reject_reason text,
    -- Active placements held; the CHECK is the last guard on headcount.
    placements    int NOT NULL DEFAULT 0 CHECK (placements >= 0 AND placements <= headcount),
    -- Positions developed: set at the first approval, counted in that month;
    -- developed_headcount follows later approved headcount changes.
    developed_on  date,
    developed_headcount int CHECK (developed_headcount >= 0),
    submitted_at  timestamptz,
    approved_at   timestamptz,
    approved_by   uuid REFERENCES users(id),
    published_at  timestamptz,
    closed_at     timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (salary_min <= salary_max),
    CHECK (status <> 'published' OR published_at IS NOT NULL)
);
CREATE INDEX openings_employer_idx ON openings(employer_id, status);
CREATE INDEX openings_published_idx ON openings(status, deadline) WHERE status = 'published';
CREATE INDEX openings_developed_idx ON openings(developed_on) WHERE developed_on IS NOT NULL;

CREATE TABLE events (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind          text NOT NULL CHECK (kind IN ('recruitment_week','livestream','job_fair')),
    title         text NOT NULL CHECK (length(title) BETWEEN 2 AND 100),
    zone_code     text NOT NULL REFERENCES zones(code),
    campaign      text,
    starts_at     timestamptz NOT NULL,
    ends_at       timestamptz NOT NULL,
    description   text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
    stream_url    text CHECK (stream_url ~ '^https?://'),
    tracking_code text NOT NULL UNIQUE,
    page_views    int NOT NULL DEFAULT 0,
    opening_clicks int NOT NULL DEFAULT 0,
    created_by    uuid NOT NULL REFERENCES users(id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at)
);
CREATE INDEX events_zone_idx ON events(zone_code, starts_at);

CREATE TABLE event_openings (
    event_id   uuid NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    opening_id uuid NOT NULL REFERENCES openings(id),
    pinned     boolean NOT NULL DEFAULT false,
    added_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, opening_id)
);

CREATE TABLE event_registrations (
    event_id      uuid NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    graduate_id   uuid NOT NULL REFERENCES graduates(user_id),
    checkin_code  text NOT NULL UNIQUE,
    checked_in_at timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, graduate_id)
);

CREATE TABLE applications (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    opening_id   uuid NOT NULL REFERENCES openings(id),
    graduate_id  uuid NOT NULL REFERENCES graduates(user_id),
    status       text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted','shortlisted','interview','offered','accepted','hired','rejected','withdrawn','declined')),
    cover_letter text NOT NULL DEFAULT '' CHECK (length(cover_letter) <= 5000),
    event_id     uuid REFERENCES events(id),
    first_employer_move_at timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (opening_id, graduate_id)
);
CREATE INDEX applications_graduate_idx ON applications(graduate_id, created_at DESC);
CREATE INDEX applications_opening_idx ON applications(opening_id, status);

-- Every move of an application, for both sides to read.
CREATE TABLE application_history (
    id             bigserial PRIMARY KEY,
    application_id uuid NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    from_status    text,
    to_status      text NOT NULL,
    actor_id       uuid NOT NULL REFERENCES users(id),
    note           text NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX application_history_app_idx ON application_history(application_id, id);

CREATE TABLE placements (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    application_id uuid NOT NULL UNIQUE REFERENCES applications(id),
    opening_id     uuid NOT NULL REFERENCES openings(id),
    employer_id    uuid NOT NULL REFERENCES employers(id),
    graduate_id    uuid NOT NULL REFERENCES graduates(user_id),
    -- Where the placement counts, fixed at hire time.
    zone_code      text REFERENCES zones(code),
    province_code  char(2) NOT NULL REFERENCES provinces(code),
    hired_on       date NOT NULL,
    year           int NOT NULL,
    month          int NOT NULL CHECK (month BETWEEN 1 AND 12),
    status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active','revoked')),
    event_id       uuid REFERENCES events(id),
    revoked_at     timestamptz,
    revoked_by     uuid REFERENCES users(id),
    revoke_reason  text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (year = extract(year FROM hired_on) AND month = extract(month FROM hired_on)),
    CHECK ((status = 'revoked') = (revoked_at IS NOT NULL))
);
CREATE UNIQUE INDEX placements_one_active_per_graduate_year ON placements(graduate_id, year) WHERE status = 'active';
CREATE INDEX placements_zone_idx ON placements(zone_code, year, month) WHERE status = 'active';
CREATE INDEX placements_province_idx ON placements(province_code, year, month) WHERE status = 'active';
CREATE INDEX placements_employer_idx ON placements(employer_id);

CREATE TABLE zone_quotas (
    zone_code         text NOT NULL REFERENCES zones(code),
    year              int NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    target_positions  int NOT NULL CHECK (target_positions >= 0),
    target_placements int NOT NULL CHECK (target_placements >= 0),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    updated_by        uuid REFERENCES users(id),
    PRIMARY KEY (zone_code, year)
);

-- Targets for a province as a whole (zones and zone-less employers) and for
-- the nation (province_code '00').
CREATE TABLE province_quotas (
    province_code     char(2) NOT NULL,
    year              int NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    target_positions  int NOT NULL CHECK (target_positions >= 0),
    target_placements int NOT NULL CHECK (target_placements >= 0),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (province_code, year)
);

-- Per zone (or zone-less part of a province, zone_code '') and month: the
-- counts progress reads, kept in the same transactions that change them.
CREATE TABLE progress_counters (
    province_code       char(2) NOT NULL REFERENCES provinces(code),
    zone_code           text NOT NULL DEFAULT '',
    year                int NOT NULL,
    month               int NOT NULL CHECK (month BETWEEN 1 AND 12),
    positions_developed int NOT NULL DEFAULT 0 CHECK (positions_developed >= 0),
    placements          int NOT NULL DEFAULT 0 CHECK (placements >= 0),
    PRIMARY KEY (province_code, zone_code, year, month)
);
CREATE INDEX progress_counters_zone_idx ON progress_counters(zone_code, year);
CREATE INDEX progress_counters_year_idx ON progress_counters(year);

CREATE TABLE monthly_reports (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    zone_code     text NOT NULL REFERENCES zones(code),
    year          int NOT NULL,
    month         int NOT NULL CHECK (month BETWEEN 1 AND 12),
    version       int NOT NULL DEFAULT 1 CHECK (version >= 1),
    status        text NOT NULL CHECK (status IN ('submitted','accepted','returned')),
    snapshot      jsonb NOT NULL,
    submitted_at  timestamptz NOT NULL DEFAULT now(),
    submitted_by  uuid NOT NULL REFERENCES users(id),
    reviewed_at   timestamptz,
    reviewed_by   uuid REFERENCES users(id),
    return_reason text,
    UNIQUE (zone_code, year, month, version)
);

CREATE TABLE notifications (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       text NOT NULL,
    title      text NOT NULL,
    body       text NOT NULL DEFAULT '',
    link       text NOT NULL DEFAULT '',
    dedupe_key text,
    read_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notifications_user_idx ON notifications(user_id, created_at DESC);
CREATE UNIQUE INDEX notifications_dedupe_key ON notifications(user_id, dedupe_key) WHERE dedupe_key IS NOT NULL;

CREATE TABLE saved_searches (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    query      text NOT NULL DEFAULT '' CHECK (length(query) <= 200),
    filters    jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX saved_searches_user_idx ON saved_searches(user_id);

CREATE TABLE idempotency_keys (
    user_id       uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key           text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    request_hash  char(64) NOT NULL,
    status        int NOT NULL,
    response      jsonb NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);

-- Transactional outbox: written in the transaction that changes the data,
-- delivered by workers that claim rows with FOR UPDATE SKIP LOCKED.
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

CREATE TABLE audit_log (
    id            bigserial PRIMARY KEY,
    kind          text NOT NULL,
    actor_id      uuid REFERENCES users(id),
    entity_type   text NOT NULL,
    entity_id     text NOT NULL,
    zone_code     text,
    province_code char(2),
    before        jsonb,
    after         jsonb,
    request_id    text,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_scope_idx ON audit_log(province_code, zone_code, created_at DESC);
CREATE INDEX audit_log_kind_idx ON audit_log(kind, created_at DESC);

-- +goose Down
DROP TABLE audit_log, outbox, idempotency_keys, saved_searches, notifications, monthly_reports,
    progress_counters, province_quotas, zone_quotas, placements, application_history, applications,
    event_registrations, event_openings, events, openings, revoked_access_tokens, refresh_tokens,
    graduates, users, employers, zones, provinces;
