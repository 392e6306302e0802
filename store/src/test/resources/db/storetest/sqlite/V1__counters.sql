CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
CREATE TABLE notes (
    id       INTEGER PRIMARY KEY,
    counter  TEXT NOT NULL REFERENCES counters (name),
    body     TEXT NOT NULL
);
