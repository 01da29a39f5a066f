-- Kiosk database, version 1: the studio's clients, passes, schedule and check-ins,
-- plus the outbox the sync worker drains. Applied inside one transaction.

CREATE TABLE clients (
    id             INTEGER PRIMARY KEY,
    uid            TEXT NOT NULL UNIQUE,          -- global id shared with the server
    member_code    TEXT UNIQUE,                   -- NULL for walk-ins without a card yet
    first_name     TEXT NOT NULL,
    last_name      TEXT NOT NULL,
    phone          TEXT NOT NULL DEFAULT '',
    email          TEXT NOT NULL DEFAULT '',
    prior_sessions INTEGER NOT NULL DEFAULT 0 CHECK (prior_sessions >= 0),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
-- Scanners and people type codes in any case.
CREATE INDEX clients_by_code_nocase ON clients (member_code COLLATE NOCASE);

CREATE TABLE passes (
    id             INTEGER PRIMARY KEY,
    client_id      INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    sessions_total INTEGER CHECK (sessions_total IS NULL OR sessions_total >= 0),  -- NULL: unlimited
    valid_from     TEXT NOT NULL,                 -- YYYY-MM-DD, local
    valid_until    TEXT NOT NULL,
    UNIQUE (client_id, valid_from)
);

CREATE TABLE classes (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE,
    starts_at    INTEGER NOT NULL,                -- Unix seconds
    duration_min INTEGER NOT NULL CHECK (duration_min > 0),
    title        TEXT NOT NULL,
    coach        TEXT NOT NULL DEFAULT '',
    focus        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX classes_by_start ON classes (starts_at);

CREATE TABLE day_focus (
    date  TEXT PRIMARY KEY,                       -- YYYY-MM-DD, local
    title TEXT NOT NULL,
    body  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE checkins (
    uuid           TEXT PRIMARY KEY,
    client_id      INTEGER NOT NULL REFERENCES clients(id),
    class_id       INTEGER REFERENCES classes(id),
    wall_time      INTEGER NOT NULL,              -- Unix seconds, kiosk clock
    local_date     TEXT NOT NULL,                 -- the studio's date at wall_time
    clock_synced   INTEGER NOT NULL CHECK (clock_synced IN (0, 1)),
    monotonic_ms   INTEGER NOT NULL DEFAULT 0,
    source         TEXT NOT NULL CHECK (source IN ('self', 'coach', 'cli')),
    session_number INTEGER NOT NULL,
    pass_state     TEXT NOT NULL,
    voided         INTEGER NOT NULL DEFAULT 0 CHECK (voided IN (0, 1)),
    voided_at      INTEGER,
    voided_by      TEXT
);
-- The rule "one check-in per client per class" also holds in the file itself.
CREATE UNIQUE INDEX one_checkin_per_class ON checkins (client_id, class_id)
    WHERE voided = 0 AND class_id IS NOT NULL;
CREATE INDEX checkins_by_client ON checkins (client_id, local_date);
CREATE INDEX checkins_by_date ON checkins (local_date);

-- Changes waiting to reach the server, oldest first. Written in the same
-- transaction as the change itself.
CREATE TABLE outbox (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT NOT NULL,                     -- 'checkin', 'void', 'client', 'focus'
    ref        TEXT NOT NULL,                     -- the uuid / uid it refers to
    created_at INTEGER NOT NULL
);

-- Small key/value state: sync cursor, last success, device id.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
