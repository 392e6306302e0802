package io.rampart.defender;

import java.util.Objects;

/**
 * One check's part of an audit task (AWS AuditCheckDetails).
 *
 * @param totalResourcesCount                  resources the check looked at
 * @param nonCompliantResourcesCount           findings it made, suppressed ones included
 * @param suppressedNonCompliantResourcesCount findings it made that a suppression covered
 * @param errorCode                            when FAILED, a short code; otherwise null
 * @param message                              when FAILED, what went wrong; otherwise null
 */
public record CheckDetails(CheckRunStatus checkRunStatus, long totalResourcesCount, long nonCompliantResourcesCount,
                           long suppressedNonCompliantResourcesCount, String errorCode, String message) {
    public CheckDetails {
        Objects.requireNonNull(checkRunStatus, "checkRunStatus");
    }

    static CheckDetails inProgress() {
        return new CheckDetails(CheckRunStatus.IN_PROGRESS, 0, 0, 0, null, null);
    }

    /** AWS's checkCompliant: true or false once the check completed, null before or when it failed. */
    public Boolean checkCompliant() {
        return switch (checkRunStatus) {
            case COMPLETED_COMPLIANT -> true;
            case COMPLETED_NON_COMPLIANT -> false;
            default -> null;
        };
    }
}
