-- The team server's first schema (PostgreSQL). Times are RFC 3339 text in UTC,
-- as the pages show them; versions are whole numbers from 1.

CREATE TABLE users (
    id TEXT PRIMARY KEY,            -- the first part of the user's token
    name TEXT NOT NULL UNIQUE,
    token_hash TEXT NOT NULL,       -- argon2 (PHC string) of the token's secret
    created_at TEXT NOT NULL
);

CREATE TABLE segments (
    id TEXT PRIMARY KEY,            -- the segment's user_key
    title TEXT NOT NULL,
    builtin BOOLEAN NOT NULL,       -- a sample the app ships, seeded at start
    data TEXT NOT NULL,             -- the segment as JSON, the page's StoredSegment
    updated_at TEXT NOT NULL
);

-- One row per segment, made with it: the session as it is now.
CREATE TABLE sessions (
    segment_id TEXT PRIMARY KEY REFERENCES segments(id),
    yaml TEXT NOT NULL,
    sync_version BIGINT NOT NULL,
    origin_tab_id TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- One row per saved version: who, when, which action, and the session it
-- made, so that any earlier version can be shown.
CREATE TABLE history (
    segment_id TEXT NOT NULL REFERENCES segments(id),
    version BIGINT NOT NULL,
    user_name TEXT NOT NULL,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    origin_tab_id TEXT NOT NULL,
    session TEXT NOT NULL,
    PRIMARY KEY (segment_id, version)
);

-- Every action received, changed or not, by its id: a retry answers the
-- version its first delivery answered instead of applying it again.
CREATE TABLE actions (
    segment_id TEXT NOT NULL,
    action_id TEXT NOT NULL,
    sync_version BIGINT NOT NULL,
    PRIMARY KEY (segment_id, action_id)
);
