-- Device Defender audit. Times are epoch milliseconds; JSON columns hold what the API shapes need verbatim.

-- The account audit configuration: one row per check that was ever configured (a check without a row is disabled),
-- and the account-level settings (roleArn) by name.
CREATE TABLE defender_settings (
    name  VARCHAR(64) PRIMARY KEY,
    value TEXT        NOT NULL
);

CREATE TABLE defender_check_config (
    check_name    VARCHAR(128) PRIMARY KEY,
    enabled       SMALLINT     NOT NULL,
    configuration TEXT         NOT NULL
);

-- Audit tasks. task_id sorts by creation time (a time prefix), so newest-first paging is by task_id.
-- details: per check, its run status and counts (DescribeAuditTask's auditDetails).
CREATE TABLE defender_audit_tasks (
    task_id              VARCHAR(40)  PRIMARY KEY,
    task_type            VARCHAR(32)  NOT NULL,
    status               VARCHAR(16)  NOT NULL,
    start_time           BIGINT       NOT NULL,
    end_time             BIGINT,
    scheduled_audit_name VARCHAR(128),
    check_names          TEXT         NOT NULL,
    details              TEXT         NOT NULL
);
CREATE INDEX defender_audit_tasks_start ON defender_audit_tasks (start_time);

-- Findings. resource_key is the canonical text of the non-compliant resource's identifier: suppressions match on
-- (check_name, resource_key). resource and related are the JSON of nonCompliantResource and relatedResources.
CREATE TABLE defender_findings (
    finding_id      VARCHAR(40)  PRIMARY KEY,
    task_id         VARCHAR(40)  NOT NULL REFERENCES defender_audit_tasks (task_id) ON DELETE CASCADE,
    check_name      VARCHAR(128) NOT NULL,
    task_start_time BIGINT       NOT NULL,
    finding_time    BIGINT       NOT NULL,
    severity        VARCHAR(16)  NOT NULL,
    resource_type   VARCHAR(32)  NOT NULL,
    resource_key    TEXT         NOT NULL,
    resource        TEXT         NOT NULL,
    related         TEXT         NOT NULL,
    reason          TEXT         NOT NULL,
    reason_code     VARCHAR(128) NOT NULL,
    suppressed      SMALLINT     NOT NULL
);
CREATE INDEX defender_findings_task ON defender_findings (task_id, finding_id);
CREATE INDEX defender_findings_time ON defender_findings (finding_time);

-- Audit suppressions: a finding of check_name on resource_key is suppressed while now < expiration_date, or always
-- when indefinitely = 1.
CREATE TABLE defender_suppressions (
    check_name      VARCHAR(128) NOT NULL,
    resource_key    TEXT         NOT NULL,
    resource        TEXT         NOT NULL,
    expiration_date BIGINT,
    indefinitely    SMALLINT     NOT NULL,
    description     TEXT,
    created_at      BIGINT       NOT NULL,
    PRIMARY KEY (check_name, resource_key)
);

-- Connection history from the gateway's connection events (DEVICE_CERTIFICATE_SHARED_CHECK,
-- CONFLICTING_CLIENT_IDS_CHECK). disconnected_at is NULL while the connection is open (or the node stopped first).
CREATE TABLE defender_connections (
    session_id        VARCHAR(128) PRIMARY KEY,
    client_id         VARCHAR(256) NOT NULL,
    principal_id      VARCHAR(256) NOT NULL,
    source_ip         VARCHAR(64)  NOT NULL,
    thing_name        VARCHAR(128),
    connected_at      BIGINT       NOT NULL,
    disconnected_at   BIGINT,
    disconnect_reason VARCHAR(40)
);
CREATE INDEX defender_connections_principal ON defender_connections (principal_id, connected_at);
CREATE INDEX defender_connections_time ON defender_connections (connected_at);

-- Connections the gateway refused for a certificate's or its CA's state (REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK,
-- REVOKED_CA_CERTIFICATE_STILL_ACTIVE_CHECK: "still trying to connect"). One row per refusal.
CREATE TABLE defender_refused_connections (
    refusal_id     VARCHAR(40) PRIMARY KEY,
    certificate_id VARCHAR(64) NOT NULL,
    source_ip      VARCHAR(64) NOT NULL,
    reason         VARCHAR(40) NOT NULL,
    refused_at     BIGINT      NOT NULL
);
CREATE INDEX defender_refused_connections_time ON defender_refused_connections (refused_at);
