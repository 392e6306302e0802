package io.rampart.server.gateway;

import io.rampart.broker.MqttBroker;
import io.rampart.registry.CertificateStatus;
import io.rampart.registry.RegistryListener;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries registry changes to the gateway: a certificate that is no longer ACTIVE loses its live connections (AWS IoT
 * disconnects them), and any change to policies, attachments, things or groups drops every cached decision so the
 * next action of every connection is judged on the new state.
 */
public final class GatewayRegistryListener implements RegistryListener {
    private static final Logger log = LoggerFactory.getLogger(GatewayRegistryListener.class);

    private final MqttBroker broker;
    private final RegistryAuthorizer authorizer;

    public GatewayRegistryListener(MqttBroker broker, RegistryAuthorizer authorizer) {
        this.broker = Objects.requireNonNull(broker, "broker");
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
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
    public void authorizationInputsChanged() {
        authorizer.invalidate();
        broker.invalidateAuthorizations(null);
    }
}
