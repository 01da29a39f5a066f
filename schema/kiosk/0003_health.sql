-- Kiosk database, version 3: what the kiosk did to look after itself, for the
-- staff screens and `studio-kiosk status`. Never personal data: file names,
-- counts and times only.
CREATE TABLE health_events (
    id     INTEGER PRIMARY KEY,
    at     INTEGER NOT NULL,                      -- Unix seconds, kiosk clock
    kind   TEXT NOT NULL,                         -- 'repaired' (damaged file replaced), 'backup_failed'
    detail TEXT NOT NULL DEFAULT '',              -- e.g. where the damaged file was moved
    saved  INTEGER NOT NULL DEFAULT 0,            -- 'repaired': unsent entries carried over
    lost   INTEGER NOT NULL DEFAULT 0,            -- 'repaired': rows that could not be read
    seen   INTEGER NOT NULL DEFAULT 0 CHECK (seen IN (0, 1))   -- a manager acknowledged it
);
