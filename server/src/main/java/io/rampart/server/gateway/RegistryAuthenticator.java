package io.rampart.server.gateway;

import io.rampart.broker.Authentication;
import io.rampart.broker.Authenticator;
import io.rampart.broker.PresentedCredentials;
import io.rampart.broker.Principal;
import io.rampart.messaging.AuthenticationFailureReason;
import io.rampart.pki.CertificateId;
import io.rampart.registry.CertificateStatus;
import io.rampart.registry.CertificateVerdict;
import io.rampart.registry.Certificates;
import java.util.Objects;

/**
 * The gateway's TLS-time check: the certificate id is the SHA-256 of the leaf's DER encoding (as AWS IoT), and the
 * registry decides (known, ACTIVE, its CA ACTIVE, within validity). The TLS layer has only proven key possession.
 */
public final class RegistryAuthenticator implements Authenticator {
    private final Certificates certificates;

    public RegistryAuthenticator(Certificates certificates) {
        this.certificates = Objects.requireNonNull(certificates, "certificates");
    }

    @Override
    public Authentication authenticate(PresentedCredentials credentials) {
        CertificateId id = CertificateId.of(credentials.leaf());
        return switch (certificates.verify(id.value())) {
            case CertificateVerdict.Accepted accepted -> new Authentication.Accepted(new Principal.Certificate(id));
            case CertificateVerdict.Rejected rejected -> new Authentication.Rejected(reason(id, rejected),
                    "certificate " + id.value() + " from " + credentials.sourceIp() + ": " + rejected.reason()
                            + " (" + rejected.message() + ")");
        };
    }

    private AuthenticationFailureReason reason(CertificateId id, CertificateVerdict.Rejected rejected) {
        return switch (rejected.reason()) {
            case UNKNOWN -> AuthenticationFailureReason.UNKNOWN_CERTIFICATE;
            // Which inactive state matters (a REVOKED certificate still trying is worth an alarm), so ask: this second
            // query runs only for refused certificates.
            case NOT_ACTIVE -> status(certificates.describe(id.value()).status());
            case CA_NOT_ACTIVE -> AuthenticationFailureReason.CA_NOT_ACTIVE;
            case NOT_YET_VALID -> AuthenticationFailureReason.CERTIFICATE_NOT_YET_VALID;
            case EXPIRED -> AuthenticationFailureReason.CERTIFICATE_EXPIRED;
        };
    }

    private static AuthenticationFailureReason status(CertificateStatus status) {
        return switch (status) {
            case REVOKED -> AuthenticationFailureReason.CERTIFICATE_REVOKED;
            case INACTIVE -> AuthenticationFailureReason.CERTIFICATE_INACTIVE;
            case PENDING_TRANSFER -> AuthenticationFailureReason.CERTIFICATE_PENDING_TRANSFER;
            case REGISTER_INACTIVE, PENDING_ACTIVATION -> AuthenticationFailureReason.CERTIFICATE_NOT_ACTIVATED;
            // verify said NOT_ACTIVE, but the certificate was activated in between: report what verify saw.
            case ACTIVE -> AuthenticationFailureReason.CERTIFICATE_INACTIVE;
        };
    }
}
