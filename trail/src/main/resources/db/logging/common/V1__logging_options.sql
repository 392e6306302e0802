-- The node's logging options (AWS IoT SetV2LoggingOptions / SetLoggingOptions): one row, id always 1.
CREATE TABLE logging_options (
    id                SMALLINT      NOT NULL PRIMARY KEY,
    role_arn          VARCHAR(2048),
    default_log_level VARCHAR(16)   NOT NULL,
    disable_all_logs  SMALLINT      NOT NULL,
    updated_at        BIGINT        NOT NULL
);

-- Per-target log levels (SetV2LoggingLevel): Rampart serves the RAMPART_COMPONENT target type only.
CREATE TABLE logging_levels (
    target_type VARCHAR(32)  NOT NULL,
    target_name VARCHAR(128) NOT NULL,
    log_level   VARCHAR(16)  NOT NULL,
    updated_at  BIGINT       NOT NULL,
    PRIMARY KEY (target_type, target_name)
);
