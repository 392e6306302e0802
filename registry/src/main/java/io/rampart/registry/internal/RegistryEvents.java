package io.rampart.registry.internal;

import io.rampart.registry.CaCertificateStatus;
import io.rampart.registry.CertificateStatus;
import io.rampart.registry.RegistryListener;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's listeners and the firing of their events. Copy-on-write: listeners are added at wiring time and
 * events are fired from any request thread without locking.
 */
final class RegistryEvents {
    private static final Logger log = LoggerFactory.getLogger(RegistryEvents.class);

    private final List<RegistryListener> listeners = new CopyOnWriteArrayList<>();

    void add(RegistryListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    void remove(RegistryListener listener) {
        listeners.remove(listener);
    }

    void certificateStatusChanged(String certificateId, CertificateStatus status) {
        fire("certificateStatusChanged(" + certificateId + ", " + status + ")",
                listener -> listener.certificateStatusChanged(certificateId, status));
    }

    void caCertificateStatusChanged(String caCertificateId, CaCertificateStatus status) {
        fire("caCertificateStatusChanged(" + caCertificateId + ", " + status + ")",
                listener -> listener.caCertificateStatusChanged(caCertificateId, status));
    }

    void authorizationInputsChanged() {
        fire("authorizationInputsChanged", RegistryListener::authorizationInputsChanged);
    }

    void thingDeleted(String thingName) {
        fire("thingDeleted(" + thingName + ")", listener -> listener.thingDeleted(thingName));
    }

    private void fire(String event, Consumer<RegistryListener> call) {
        for (RegistryListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                // The change is committed and the caller must learn that it succeeded; one failing listener must
                // not keep the others from hearing about it either.
                log.error("registry listener {} failed on {}", listener, event, e);
            }
        }
    }
}
