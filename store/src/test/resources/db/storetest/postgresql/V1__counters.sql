CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
CREATE TABLE notes (
    id       BIGINT PRIMARY KEY,
    counter  TEXT NOT NULL REFERENCES counters (name),
    body     TEXT NOT NULL
);
