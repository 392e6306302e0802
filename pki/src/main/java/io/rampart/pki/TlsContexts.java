package io.rampart.pki;

import io.rampart.pki.internal.ProtocolRestrictedSslContext;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;

/**
 * JDK {@link SSLContext}s for Rampart's TLS endpoints and their clients, TLS 1.3 and 1.2 only.
 *
 * <pre>{@code
 * // HTTPS API: server certificate, no client certificates
 * SSLContext api = TlsContexts.server(identity);
 * // mutual TLS: also ask clients for a certificate chaining to the given CAs
 * SSLContext mqtt = TlsContexts.server(identity, TlsContexts.trustManager(List.of(ca.certificate())));
 * // a test or the CLI talking to the node
 * SSLContext client = TlsContexts.client(List.of(ca.certificate()));
 * SSLContext device = TlsContexts.client(List.of(ca.certificate()), List.of(deviceCert), deviceKey);
 * }</pre>
 *
 * <p>Whether a server requires client certificates is set where the socket or engine is made
 * ({@code setNeedClientAuth(true)}); the context only supplies the trust.
 */
public final class TlsContexts {
    /** The only protocol versions any Rampart context enables. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private static final char[] IN_MEMORY_PASSWORD = "rampart".toCharArray();

    private TlsContexts() {
    }

    /** A server context presenting {@code identity}; client certificates, if requested, are checked against the JDK's default trust. */
    public static SSLContext server(ServerIdentity identity) {
        return context(keyManager(identity.chain(), identity.privateKey()), null);
    }

    /** A server context presenting {@code identity} and judging client certificates with {@code clientTrust}. */
    public static SSLContext server(ServerIdentity identity, X509TrustManager clientTrust) {
        return context(keyManager(identity.chain(), identity.privateKey()), clientTrust);
    }

    /** A client context trusting only {@code trustedCas} and presenting no certificate. */
    public static SSLContext client(Collection<X509Certificate> trustedCas) {
        return context(null, trustManager(trustedCas));
    }

    /** A client context trusting only {@code trustedCas} and presenting {@code chain} (leaf first) with {@code key}. */
    public static SSLContext client(Collection<X509Certificate> trustedCas, List<X509Certificate> chain, PrivateKey key) {
        return context(keyManager(chain, key), trustManager(trustedCas));
    }

    /** A PKIX trust manager that trusts exactly {@code trustedCas}, not the JDK's default roots. */
    public static X509TrustManager trustManager(Collection<X509Certificate> trustedCas) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(trustStore(trustedCas));
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("the JDK's PKIX TrustManagerFactory made no X509TrustManager");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a trust manager", e);
        }
    }

    /** A key manager presenting {@code chain} (leaf first) with {@code key}. */
    public static X509KeyManager keyManager(List<X509Certificate> chain, PrivateKey key) {
        try {
            KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
            factory.init(keyStore(chain, key, IN_MEMORY_PASSWORD), IN_MEMORY_PASSWORD);
            for (KeyManager manager : factory.getKeyManagers()) {
                if (manager instanceof X509KeyManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("the JDK's PKIX KeyManagerFactory made no X509KeyManager");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a key manager", e);
        }
    }

    /** An in-memory PKCS#12 key store holding {@code chain} and {@code key} under the alias {@code "rampart"}. */
    public static KeyStore keyStore(List<X509Certificate> chain, PrivateKey key, char[] password) {
        try {
            KeyStore store = emptyStore();
            store.setKeyEntry("rampart", key, password, chain.toArray(Certificate[]::new));
            return store;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot put the key and chain in a key store: " + e.getMessage(), e);
        }
    }

    /** An in-memory PKCS#12 trust store holding {@code trustedCas} as trusted entries. */
    public static KeyStore trustStore(Collection<X509Certificate> trustedCas) {
        if (trustedCas.isEmpty()) {
            throw new IllegalArgumentException("a trust store needs at least one CA certificate");
        }
        try {
            KeyStore store = emptyStore();
            int i = 0;
            for (X509Certificate ca : trustedCas) {
                store.setCertificateEntry("ca-" + i++, ca);
            }
            return store;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot put certificates in a trust store", e);
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException("loading an empty in-memory key store reads nothing", e);
        }
        return store;
    }

    private static SSLContext context(X509KeyManager keyManager, X509TrustManager trustManager) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManager == null ? null : new KeyManager[]{keyManager},
                    trustManager == null ? null : new TrustManager[]{trustManager}, null);
            return ProtocolRestrictedSslContext.wrap(context, PROTOCOLS);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot initialize a TLS context", e);
        }
    }
}
