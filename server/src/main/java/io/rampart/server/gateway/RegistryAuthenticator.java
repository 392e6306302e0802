package io.rampart.server.gateway;

import io.rampart.broker.Authentication;
import io.rampart.broker.Authenticator;
import io.rampart.broker.PresentedCredentials;
import io.rampart.broker.Principal;
import io.rampart.pki.CertificateId;
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
            case CertificateVerdict.Rejected rejected -> new Authentication.Rejected(
                    "certificate " + id.value() + " from " + credentials.sourceIp() + ": " + rejected.reason()
                            + " (" + rejected.message() + ")");
        };
    }
}
