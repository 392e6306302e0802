package io.rampart.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * What a TLS server presents: its certificate chain (leaf first, then the CA) and the leaf's private key.
 *
 * <pre>{@code
 * ServerIdentity identity = ca.openOrCreateServerIdentity(dataDir, List.of("localhost"), List.of("127.0.0.1"));
 * SSLContext tls = TlsContexts.server(identity);
 * }</pre>
 *
 * @param chain      leaf certificate first, then its issuers
 * @param privateKey the leaf's private key
 */
public record ServerIdentity(List<X509Certificate> chain, PrivateKey privateKey) {
    public ServerIdentity {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a server identity needs at least its own certificate");
        }
        Objects.requireNonNull(privateKey, "privateKey");
    }

    /** The leaf (server) certificate. */
    public X509Certificate certificate() {
        return chain.getFirst();
    }

    /** The chain in PEM, leaf first (what goes into a {@code fullchain.pem}). */
    public String chainPem() {
        return Pem.encodeCertificates(chain);
    }

    /** Never prints the private key. */
    @Override
    public String toString() {
        return "ServerIdentity[subject=" + certificate().getSubjectX500Principal().getName()
                + ", notAfter=" + certificate().getNotAfter().toInstant() + "]";
    }
}
