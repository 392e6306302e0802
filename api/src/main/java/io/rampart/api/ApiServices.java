package io.rampart.api;

import io.rampart.pki.CertificateAuthority;
import io.rampart.registry.Registry;
import java.time.Clock;
import java.util.Objects;

/**
 * The node's services the API routes call; built once by the server's wiring.
 *
 * @param registry             things, types, groups, policies, certificates, CAs, attachments, authorization queries
 * @param certificateAuthority the node's built-in CA (signs the CRL served at {@code /rampart/ca/crl})
 * @param accessKeys           the keys that may sign requests
 * @param clock                the node's clock (SigV4 skew checks)
 */
public record ApiServices(Registry registry, CertificateAuthority certificateAuthority, AccessKeys accessKeys, Clock clock) {
    public ApiServices {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(certificateAuthority, "certificateAuthority");
        Objects.requireNonNull(accessKeys, "accessKeys");
        Objects.requireNonNull(clock, "clock");
    }
}
