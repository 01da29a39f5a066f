-- studio-server database, version 1: studios and their devices, the chain's
-- clients and passes, each studio's classes and daily focus, and every check-in.
-- Portable SQL (SQLite now, PostgreSQL later): INTEGER/TEXT columns, explicit
-- unique constraints, partial indexes, no SQLite-only functions in queries.
-- Every row a kiosk may need carries change_seq, taken from change_counter in the
-- same transaction as the change; the changes feed reads rows after a cursor.

CREATE TABLE studios (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

-- Kiosks (role 'kiosk', one studio) and managers (role 'manager', export only).
-- Only the SHA-256 of a bearer token is kept; the token is shown once.
CREATE TABLE devices (
    id           INTEGER PRIMARY KEY,
    studio_id    INTEGER REFERENCES studios(id),
    label        TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('kiosk', 'manager')),
    token_sha256 TEXT NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    revoked_at   INTEGER,
    last_seen_at INTEGER
);
CREATE INDEX devices_by_label ON devices (label);

CREATE TABLE change_counter (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
);
INSERT INTO change_counter (id, value) VALUES (1, 0);

CREATE TABLE clients (
    id             INTEGER PRIMARY KEY,
    uid            TEXT NOT NULL UNIQUE,
    member_code    TEXT,                          -- as printed; NULL for a walk-in
    member_key     TEXT UNIQUE,                   -- member_code in ASCII lower case: codes match in any case
    first_name     TEXT NOT NULL,
    last_name      TEXT NOT NULL,
    phone          TEXT NOT NULL DEFAULT '',
    email          TEXT NOT NULL DEFAULT '',
    prior_sessions INTEGER NOT NULL DEFAULT 0 CHECK (prior_sessions >= 0),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    change_seq     INTEGER NOT NULL
);
CREATE INDEX clients_by_change ON clients (change_seq);

CREATE TABLE passes (
    id             INTEGER PRIMARY KEY,
    client_id      INTEGER NOT NULL REFERENCES clients(id),
    sessions_total INTEGER CHECK (sessions_total IS NULL OR sessions_total >= 0),
    valid_from     TEXT NOT NULL,
    valid_until    TEXT NOT NULL,
    change_seq     INTEGER NOT NULL,
    UNIQUE (client_id, valid_from)
);
CREATE INDEX passes_by_change ON passes (change_seq);

CREATE TABLE classes (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE,
    studio_id    INTEGER NOT NULL REFERENCES studios(id),
    starts_at    INTEGER NOT NULL,
    duration_min INTEGER NOT NULL CHECK (duration_min > 0),
    title        TEXT NOT NULL,
    coach        TEXT NOT NULL DEFAULT '',
    focus        TEXT NOT NULL DEFAULT '',
    change_seq   INTEGER NOT NULL
);
CREATE INDEX classes_by_studio_change ON classes (studio_id, change_seq);

CREATE TABLE day_focus (
    id         INTEGER PRIMARY KEY,
    studio_id  INTEGER NOT NULL REFERENCES studios(id),
    date       TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL DEFAULT '',
    change_seq INTEGER NOT NULL,
    UNIQUE (studio_id, date)
);
CREATE INDEX day_focus_by_studio_change ON day_focus (studio_id, change_seq);

-- Check-ins as the kiosks recorded them (their clock), with the server's receive
-- time and a flag when the kiosk time looks wrong. The uuid is unique forever.
CREATE TABLE checkins (
    id             INTEGER PRIMARY KEY,
    uuid           TEXT NOT NULL UNIQUE,
    studio_id      INTEGER NOT NULL REFERENCES studios(id),
    device_id      INTEGER NOT NULL REFERENCES devices(id),
    client_id      INTEGER NOT NULL REFERENCES clients(id),
    class_id       INTEGER REFERENCES classes(id),
    wall_time      INTEGER NOT NULL,
    local_date     TEXT NOT NULL,
    clock_synced   INTEGER NOT NULL CHECK (clock_synced IN (0, 1)),
    monotonic_ms   INTEGER NOT NULL DEFAULT 0,
    source         TEXT NOT NULL,
    session_number INTEGER NOT NULL,
    pass_state     TEXT NOT NULL,
    received_at    INTEGER NOT NULL,
    time_flag      TEXT NOT NULL DEFAULT '',
    voided         INTEGER NOT NULL DEFAULT 0 CHECK (voided IN (0, 1)),
    voided_at      INTEGER,
    voided_by      TEXT,
    change_seq     INTEGER NOT NULL
);
-- One check-in per client per class, across all kiosks.
CREATE UNIQUE INDEX checkins_one_per_class ON checkins (client_id, class_id)
    WHERE voided = 0 AND class_id IS NOT NULL;
CREATE INDEX checkins_by_client_day ON checkins (client_id, local_date);
CREATE INDEX checkins_by_studio_change ON checkins (studio_id, change_seq);
CREATE INDEX checkins_by_studio_date ON checkins (studio_id, local_date);

-- Check-ins that arrived for a visit another kiosk had already checked in: not
-- counted, kept so that a resend of the same uuid gets the same answer forever.
CREATE TABLE superseded_checkins (
    uuid           TEXT PRIMARY KEY,
    canonical_uuid TEXT NOT NULL,
    studio_id      INTEGER NOT NULL,
    device_id      INTEGER NOT NULL,
    client_id      INTEGER NOT NULL,
    class_id       INTEGER,
    wall_time      INTEGER NOT NULL,
    local_date     TEXT NOT NULL,
    clock_synced   INTEGER NOT NULL,
    received_at    INTEGER NOT NULL
);
