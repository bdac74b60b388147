-- Partitions of JSON documents, as the storage contract (storage/engine.py) describes them.
-- A partition's version comes from one sequence, so a version is never reused, not even by a
-- partition that is deleted and written again: a cache keyed by (name, version) cannot be fooled.
CREATE SEQUENCE partition_versions;

CREATE TABLE partitions (
    name        text PRIMARY KEY,
    version     bigint NOT NULL,          -- 0: created by a write that staged nothing (never committed)
    written_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE documents (
    partition   text NOT NULL REFERENCES partitions (name) ON DELETE CASCADE,
    tbl         text NOT NULL,
    key         text NOT NULL,
    -- The document's JSON text exactly as normalize_doc() gives it (not jsonb: jsonb reorders keys,
    -- rewrites numbers and refuses \u0000, and a document must read back as it was written).
    doc         text NOT NULL,
    PRIMARY KEY (partition, tbl, key)
);

-- First-comer claims shared by every instance: a redelivered activity, a reminder about to be sent.
CREATE TABLE claims (
    scope       text NOT NULL,
    key         text NOT NULL,
    claimed_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX claims_expiry ON claims (expires_at);
