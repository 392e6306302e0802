-- Broker durable state. Times are epoch milliseconds; booleans are 0/1.

-- One row per persistent session. expires_at is NULL while a connection uses the session and
-- disconnect time + expiry afterwards (9223372036854775807 = never).
CREATE TABLE broker_sessions (
    client_id      TEXT    NOT NULL PRIMARY KEY,
    expiry_seconds INTEGER NOT NULL,
    expires_at     INTEGER,
    created_at     INTEGER NOT NULL
);
CREATE INDEX broker_sessions_expires_at ON broker_sessions (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE broker_subscriptions (
    client_id           TEXT    NOT NULL,
    filter              TEXT    NOT NULL,
    qos                 INTEGER NOT NULL,
    no_local            INTEGER NOT NULL,
    retain_as_published INTEGER NOT NULL,
    retain_handling     INTEGER NOT NULL,
    subscription_id     INTEGER NOT NULL,
    PRIMARY KEY (client_id, filter)
);

-- A payload is stored once, however many sessions it is queued for.
CREATE TABLE broker_messages (
    id         INTEGER NOT NULL PRIMARY KEY,
    topic      TEXT    NOT NULL,
    payload    BLOB    NOT NULL,
    qos        INTEGER NOT NULL,
    retain     INTEGER NOT NULL,
    expires_at INTEGER,
    properties BLOB
);

-- One row per (session, message) still to be delivered or acknowledged.
CREATE TABLE broker_queue (
    client_id        TEXT    NOT NULL,
    message_id       INTEGER NOT NULL,
    qos              INTEGER NOT NULL,
    retain           INTEGER NOT NULL,
    subscription_ids TEXT,
    state            INTEGER NOT NULL,
    packet_id        INTEGER NOT NULL,
    PRIMARY KEY (client_id, message_id)
);
CREATE INDEX broker_queue_message_id ON broker_queue (message_id);

-- QoS 2 packet ids received from persistent-session clients and not yet released by PUBREL.
CREATE TABLE broker_inbound_qos2 (
    client_id TEXT    NOT NULL,
    packet_id INTEGER NOT NULL,
    PRIMARY KEY (client_id, packet_id)
);

CREATE TABLE broker_retained (
    topic       TEXT    NOT NULL PRIMARY KEY,
    payload     BLOB    NOT NULL,
    qos         INTEGER NOT NULL,
    expires_at  INTEGER,
    properties  BLOB,
    modified_at INTEGER NOT NULL
);

-- Message ids are handed out in blocks so that several nodes sharing a database never collide.
CREATE TABLE broker_id_blocks (
    name       TEXT    NOT NULL PRIMARY KEY,
    next_value INTEGER NOT NULL
);
INSERT INTO broker_id_blocks (name, next_value) VALUES ('message', 1);
