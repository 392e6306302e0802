package io.rampart.defender.internal;

import io.rampart.defender.AuditCheckName;
import io.rampart.defender.AuditResource;
import io.rampart.defender.CheckConfiguration;
import java.util.List;
import java.util.Objects;

/**
 * One audit check: reads what it needs from the snapshot and reports the non-compliant resources it found. Checks
 * do not write anything; the runner stores their findings.
 */
public sealed interface Check permits CertificateExpiring, WeakKey, CertificateAge, SharedCertificate,
        ConflictingClientIds, InactiveIssuer, RevokedCertificateStillActive, InactiveCaStillUsed, PolicyOverlyPermissive,
        PolicyMisconfiguration, LoggingDisabled, PlainListenerEnabled {

    Outcome run(AuditSnapshot snapshot, CheckConfiguration configuration);

    /** One non-compliant resource, with AWS's reason text and code. */
    record Found(AuditResource resource, List<AuditResource> related, String reason, String reasonCode) {
        public Found {
            Objects.requireNonNull(resource, "resource");
            related = List.copyOf(related);
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(reasonCode, "reasonCode");
        }
    }

    /**
     * What a check found.
     *
     * @param totalResources how many resources it looked at
     * @param message        a note on the run (e.g. policies the analyzer could not decide), or null
     */
    record Outcome(long totalResources, List<Found> found, String message) {
        public Outcome {
            found = List.copyOf(found);
        }
    }

    /** A check that could not run (its input is missing); the task records it as FAILED with this code and message. */
    final class CannotRun extends RuntimeException {
        private final String errorCode;

        public CannotRun(String errorCode, String message) {
            super(message);
            this.errorCode = errorCode;
        }

        public String errorCode() {
            return errorCode;
        }
    }

    /** The implementation of {@code name}; only applicable checks have one. */
    static Check of(AuditCheckName name) {
        return switch (name) {
            case CA_CERTIFICATE_EXPIRING_CHECK -> new CertificateExpiring(true);
            case DEVICE_CERTIFICATE_EXPIRING_CHECK -> new CertificateExpiring(false);
            case CA_CERTIFICATE_KEY_QUALITY_CHECK -> new WeakKey(true);
            case DEVICE_CERTIFICATE_KEY_QUALITY_CHECK -> new WeakKey(false);
            case DEVICE_CERTIFICATE_AGE_CHECK -> new CertificateAge();
            case DEVICE_CERTIFICATE_SHARED_CHECK -> new SharedCertificate();
            case CONFLICTING_CLIENT_IDS_CHECK -> new ConflictingClientIds();
            case INTERMEDIATE_CA_REVOKED_FOR_ACTIVE_DEVICE_CERTIFICATES_CHECK -> new InactiveIssuer();
            case REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK -> new RevokedCertificateStillActive();
            case REVOKED_CA_CERTIFICATE_STILL_ACTIVE_CHECK -> new InactiveCaStillUsed();
            case IOT_POLICY_OVERLY_PERMISSIVE_CHECK -> new PolicyOverlyPermissive();
            case IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK -> new PolicyMisconfiguration();
            case LOGGING_DISABLED_CHECK -> new LoggingDisabled();
            case RAMPART_PLAIN_LISTENER_ENABLED_CHECK -> new PlainListenerEnabled();
            case AUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK, UNAUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK,
                 IOT_ROLE_ALIAS_ALLOWS_ACCESS_TO_UNUSED_SERVICES_CHECK, IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK ->
                    throw new IllegalArgumentException(name + " cannot run here: " + name.whyNotApplicable());
        };
    }
}
