-- Device shadows: one row per (thing, shadow); the classic shadow has shadow_name ''.
-- thing_id binds the row to one incarnation of the thing: a row whose thing_id is not the current thing's
-- belongs to a deleted thing and is treated as absent (and overwritten), so a re-created thing starts clean.
-- document is NULL once the shadow is deleted; the row keeps its version, as AWS does not reset it.
CREATE TABLE shadow_documents (
    thing_name  VARCHAR(128) NOT NULL,
    shadow_name VARCHAR(64)  NOT NULL,
    thing_id    VARCHAR(64)  NOT NULL,
    version     BIGINT       NOT NULL,
    document    TEXT,
    updated_at  BIGINT       NOT NULL,
    PRIMARY KEY (thing_name, shadow_name)
);
