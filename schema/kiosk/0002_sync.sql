-- Kiosk database, version 2: what the sync with studio-server needs.
-- Check-ins now say where they came from; a check-in the server counted under
-- another kiosk's id is kept (voided = 1, voided_by = 'sync') with a pointer to
-- the one that counts, so a session is never counted twice and never lost.

-- 'local': recorded on this kiosk (pushed through the outbox);
-- 'remote': another kiosk's, learnt from the changes feed (never pushed back).
ALTER TABLE checkins ADD COLUMN origin TEXT NOT NULL DEFAULT 'local' CHECK (origin IN ('local', 'remote'));
-- The label of the kiosk that recorded a remote check-in.
ALTER TABLE checkins ADD COLUMN device TEXT NOT NULL DEFAULT '';
-- Set when the server already counted the same visit under another uuid (two
-- kiosks offline at once): the uuid that counts. Such a row is also voided.
ALTER TABLE checkins ADD COLUMN superseded_by TEXT;
-- When the server acknowledged this kiosk's check-in (Unix seconds).
ALTER TABLE checkins ADD COLUMN synced_at INTEGER;

CREATE INDEX outbox_by_ref ON outbox (ref);

-- Outbox entries the server refused for good (a void of a check-in it never had),
-- kept for the staff screen and `studio-kiosk status` instead of being retried forever.
CREATE TABLE sync_rejected (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    ref         TEXT NOT NULL,
    reason      TEXT NOT NULL,
    rejected_at INTEGER NOT NULL
);
