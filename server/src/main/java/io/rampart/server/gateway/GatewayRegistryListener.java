package io.rampart.server.gateway;

import io.rampart.broker.MqttBroker;
import io.rampart.common.Page;
import io.rampart.registry.CaCertificateStatus;
import io.rampart.registry.Certificate;
import io.rampart.registry.CertificateStatus;
import io.rampart.registry.Certificates;
import io.rampart.registry.RegistryListener;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries registry changes to the gateway: a certificate that is no longer ACTIVE, or whose registered CA is no longer
 * ACTIVE, loses its live connections, and any change to policies, attachments, things or groups drops every cached decision so the
 * next action of every connection is judged on the new state.
 */
public final class GatewayRegistryListener implements RegistryListener {
    private static final Logger log = LoggerFactory.getLogger(GatewayRegistryListener.class);

    private final MqttBroker broker;
    private final RegistryAuthorizer authorizer;
    private final Certificates certificates;

    public GatewayRegistryListener(MqttBroker broker, RegistryAuthorizer authorizer, Certificates certificates) {
        this.broker = Objects.requireNonNull(broker, "broker");
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
        this.certificates = Objects.requireNonNull(certificates, "certificates");
    }

    @Override
    public void certificateStatusChanged(String certificateId, CertificateStatus status) {
        // The registry answers are cached with the certificate's status: drop them first, so no decision is made on
        // the old status after this.
        authorizer.invalidate();
        broker.invalidateAuthorizations(certificateId);
        if (status != CertificateStatus.ACTIVE) {
            int closed = broker.disconnectPrincipal(certificateId);
            if (closed > 0) {
                log.info("certificate {} is now {}: disconnected {} live connection(s)", certificateId, status, closed);
            }
        }
    }

    @Override
    public void caCertificateStatusChanged(String caCertificateId, CaCertificateStatus status) {
        authorizer.invalidate();
        broker.invalidateAuthorizations(null);
        if (status == CaCertificateStatus.ACTIVE) {
            return;
        }
        // A CA that is not ACTIVE fails every certificate it issued at the TLS-time check; live connections of those
        // certificates go too, as for a revoked certificate.
        int closed = 0;
        String token = null;
        do {
            Page<Certificate> page = certificates.listByCa(caCertificateId, new Page.Request(Page.Request.LIMIT, token), true);
            for (Certificate certificate : page.items()) {
                closed += broker.disconnectPrincipal(certificate.id());
            }
            token = page.nextToken();
        } while (token != null);
        if (closed > 0) {
            log.info("CA certificate {} is now {}: disconnected {} live connection(s)", caCertificateId, status, closed);
        }
    }

    @Override
    public void authorizationInputsChanged() {
        authorizer.invalidate();
        broker.invalidateAuthorizations(null);
    }
}
