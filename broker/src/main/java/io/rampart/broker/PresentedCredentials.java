package io.rampart.broker;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a TLS client showed during the handshake.
 *
 * @param chain          the certificate chain, leaf first (never empty: the broker requires a client certificate)
 * @param serverName     the SNI host name the client asked for, if any
 * @param alpnProtocol   the ALPN protocol agreed ({@code x-amzn-mqtt-ca} or {@code mqtt}), if any
 * @param sourceIp       the peer's IP address as text
 */
public record PresentedCredentials(List<X509Certificate> chain, Optional<String> serverName,
                                   Optional<String> alpnProtocol, String sourceIp) {
    public PresentedCredentials {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a client must present at least its own certificate");
        }
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(alpnProtocol, "alpnProtocol");
        Objects.requireNonNull(sourceIp, "sourceIp");
    }

    /** The client's own certificate. */
    public X509Certificate leaf() {
        return chain.getFirst();
    }
}
