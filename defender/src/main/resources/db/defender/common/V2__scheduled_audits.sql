-- Scheduled audits. next_run is when the scheduler starts the next task (epoch ms, UTC midnight of the due day);
-- last_run is when it last started one (the connection-based checks look at the time since then).
CREATE TABLE defender_scheduled_audits (
    name         VARCHAR(128) PRIMARY KEY,
    frequency    VARCHAR(16)  NOT NULL,
    day_of_week  VARCHAR(8),
    day_of_month VARCHAR(8),
    check_names  TEXT         NOT NULL,
    last_run     BIGINT,
    next_run     BIGINT       NOT NULL
);
