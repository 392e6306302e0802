package io.rampart.defender;

import java.time.Instant;
import java.util.Objects;

/**
 * A suppression: findings of {@code checkName} on the resource are marked suppressed while it is in force
 * (AWS AuditSuppression).
 *
 * @param expirationDate       when it stops (exclusive), or null when {@code suppressIndefinitely}
 * @param suppressIndefinitely whether it never expires
 * @param description          free text, or null
 */
public record AuditSuppression(AuditCheckName checkName, ResourceIdentifier resourceIdentifier, Instant expirationDate,
                               boolean suppressIndefinitely, String description) {
    public AuditSuppression {
        Objects.requireNonNull(checkName, "checkName");
        Objects.requireNonNull(resourceIdentifier, "resourceIdentifier");
    }

    /** Whether it suppresses findings made at {@code instant}. */
    public boolean inForceAt(Instant instant) {
        return suppressIndefinitely || (expirationDate != null && instant.isBefore(expirationDate));
    }
}
