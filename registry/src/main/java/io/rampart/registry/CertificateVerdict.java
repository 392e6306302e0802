package io.rampart.registry;

import java.util.Objects;

/**
 * Whether a device presenting a certificate over mutual TLS may use the gateway: the registry's decision on a
 * certificate the TLS layer has only proven possession of.
 */
public sealed interface CertificateVerdict {

    /** Known, ACTIVE, issued by an ACTIVE CA (or the built-in one, or registered without a CA) and within validity. */
    record Accepted(Certificate certificate) implements CertificateVerdict {
        public Accepted {
            Objects.requireNonNull(certificate, "certificate");
        }
    }

    /**
     * Refused.
     *
     * @param message for the operator's log; never sent to the device
     */
    record Rejected(Reason reason, String message) implements CertificateVerdict {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }
    }

    /** Why a certificate is refused. */
    enum Reason {
        UNKNOWN, NOT_ACTIVE, CA_NOT_ACTIVE, NOT_YET_VALID, EXPIRED
    }
}
