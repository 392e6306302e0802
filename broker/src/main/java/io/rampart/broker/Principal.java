package io.rampart.broker;

import io.rampart.pki.CertificateId;

import java.util.Objects;

/** Who a connection acts for; the subject of every authorization question the broker asks. */
public sealed interface Principal {

    /** The id authorization and lifecycle events use: the certificate id, or the listener's policy name. */
    String id();

    /** A client authenticated by its X.509 certificate; AWS IoT's principal is the certificate id. */
    record Certificate(CertificateId certificateId) implements Principal {
        public Certificate {
            Objects.requireNonNull(certificateId, "certificateId");
        }

        @Override
        public String id() {
            return certificateId.value();
        }
    }

    /**
     * A client of the plain-TCP listener: unauthenticated, so every such client is granted exactly what the
     * listener's named policy allows.
     */
    record ListenerPolicy(String policyName) implements Principal {
        public ListenerPolicy {
            Objects.requireNonNull(policyName, "policyName");
        }

        @Override
        public String id() {
            return policyName;
        }
    }
}
