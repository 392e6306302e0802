package io.rampart.broker.internal;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.rampart.pki.ServerIdentity;
import io.rampart.pki.TlsContexts;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

/** Builds the MQTT listener's TLS context: TLS 1.3/1.2, forward-secret AEAD suites only, client certificate required. */
public final class ServerTls {
    /** ALPN protocol AWS IoT devices offer to speak MQTT on port 443; accepted on any port. */
    public static final String ALPN_AWS_MQTT = "x-amzn-mqtt-ca";
    /** The generic ALPN id some clients offer for MQTT. */
    public static final String ALPN_MQTT = "mqtt";

    /**
     * TLS 1.3 suites (all AEAD with ephemeral key exchange) and the TLS 1.2 ECDHE suites with AES-GCM or
     * ChaCha20-Poly1305; no RSA key exchange, no CBC, no static DH.
     */
    public static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private ServerTls() {
    }

    /** The TLS provider used: OpenSSL (BoringSSL via tcnative) when wanted and loadable, the JDK's otherwise. */
    public static SslProvider provider(boolean preferOpenSsl) {
        return preferOpenSsl && OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /** A server context presenting {@code identity} that demands a client certificate and leaves judging it to the Authenticator. */
    public static SslContext context(ServerIdentity identity, SslProvider provider) {
        try {
            return SslContextBuilder.forServer(identity.privateKey(), identity.chain())
                    .sslProvider(provider)
                    .protocols(TlsContexts.PROTOCOLS)
                    .ciphers(CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE)
                    .clientAuth(ClientAuth.REQUIRE)
                    .trustManager(new AnyPresentedCertificate())
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            // A client offering other protocols (or none) is still served: ALPN is optional.
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ALPN_AWS_MQTT, ALPN_MQTT))
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the MQTT listener's TLS context with " + provider + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Accepts any client chain at the TLS layer. AWS IoT accepts certificates registered without a CA, so trust
     * cannot be a chain check: the handshake proves key possession and the {@code Authenticator} (the registry)
     * decides after it, before any MQTT byte is read.
     */
    static final class AnyPresentedCertificate extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            requireChain(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            requireChain(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            requireChain(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the MQTT listener is a server; it never checks server certificates");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("the MQTT listener is a server; it never checks server certificates");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("the MQTT listener is a server; it never checks server certificates");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            // An empty list lets clients send any certificate rather than only ones from named CAs.
            return new X509Certificate[0];
        }

        private static void requireChain(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("a client certificate is required");
            }
        }
    }
}
