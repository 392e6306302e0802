package io.rampart.defender;

import java.time.Instant;
import java.util.Objects;

/**
 * A client the gateway refused because of its certificate's or its CA's state: the "still trying to connect" evidence
 * of REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK and REVOKED_CA_CERTIFICATE_STILL_ACTIVE_CHECK.
 */
public record RefusedConnection(String certificateId, String sourceIp, Reason reason, Instant refusedAt) {
    /** The refusals the audit keeps. */
    public enum Reason {
        CERTIFICATE_REVOKED, CERTIFICATE_INACTIVE, CA_NOT_ACTIVE
    }

    public RefusedConnection {
        Objects.requireNonNull(certificateId, "certificateId");
        Objects.requireNonNull(sourceIp, "sourceIp");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(refusedAt, "refusedAt");
    }
}
