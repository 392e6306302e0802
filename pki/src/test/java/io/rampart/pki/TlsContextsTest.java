package io.rampart.pki;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real handshakes on 127.0.0.1 with the JDK's TLS stack. */
class TlsContextsTest {
    static CertificateAuthority ca;
    static ServerIdentity server;
    static KeyPair deviceKeys;
    static X509Certificate deviceCertificate;

    @BeforeAll
    static void pki() throws Exception {
        // Real time: the JDK validates certificates against the wall clock during the handshake.
        ca = CertificateAuthority.inMemory(KeyAlgorithm.EC_P256, "TLS Test Root", Clock.systemUTC(), TestPki.RANDOM);
        server = ca.issueServerCertificate(List.of("localhost"), List.of("127.0.0.1"), KeyAlgorithm.EC_P256);
        deviceKeys = TestPki.ecKeyPair("secp256r1");
        deviceCertificate = ca.issue(deviceKeys.getPublic(), "CN=device-1", Duration.ofDays(1));
    }

    @Test
    void mutualTlsHandshakeSucceedsWithCaIssuedClientCertificate() throws Exception {
        SSLContext serverContext = TlsContexts.server(server, TlsContexts.trustManager(List.of(ca.certificate())));
        SSLContext clientContext = TlsContexts.client(List.of(ca.certificate()), List.of(deviceCertificate), deviceKeys.getPrivate());
        try (SSLServerSocket listener = listen(serverContext)) {
            CompletableFuture<String> peer = acceptOne(listener);
            try (SSLSocket socket = connect(clientContext, listener)) {
                socket.getOutputStream().write('x');
                socket.getOutputStream().flush();
                assertThat(socket.getInputStream().read()).isEqualTo('y');
                assertThat(socket.getSession().getProtocol()).isIn(TlsContexts.PROTOCOLS);
                assertThat(socket.getSession().getPeerCertificates()[0]).isEqualTo(server.certificate());
            }
            assertThat(peer.get(20, TimeUnit.SECONDS)).isEqualTo("CN=device-1");
        }
    }

    @Test
    void serverRequiringClientCertificateRefusesAClientWithout() throws Exception {
        SSLContext serverContext = TlsContexts.server(server, TlsContexts.trustManager(List.of(ca.certificate())));
        try (SSLServerSocket listener = listen(serverContext)) {
            CompletableFuture<String> peer = acceptOne(listener);
            assertThatThrownBy(() -> {
                try (SSLSocket socket = connect(TlsContexts.client(List.of(ca.certificate())), listener)) {
                    socket.getOutputStream().write('x');
                    socket.getOutputStream().flush();
                    // TLS 1.3 reports the server's rejection of the client certificate on the first read.
                    socket.getInputStream().read();
                }
            }).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> peer.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SSLException.class);
        }
    }

    @Test
    void clientCertificateFromAnotherCaIsRefused() throws Exception {
        CertificateAuthority stranger = CertificateAuthority.inMemory(KeyAlgorithm.EC_P256, "Stranger", Clock.systemUTC(), TestPki.RANDOM);
        IssuedCredentials foreign = stranger.createKeysAndCertificate(KeyAlgorithm.EC_P256);
        SSLContext serverContext = TlsContexts.server(server, TlsContexts.trustManager(List.of(ca.certificate())));
        SSLContext clientContext = TlsContexts.client(List.of(ca.certificate()), List.of(foreign.certificate()),
                foreign.keyPair().getPrivate());
        try (SSLServerSocket listener = listen(serverContext)) {
            CompletableFuture<String> peer = acceptOne(listener);
            assertThatThrownBy(() -> {
                try (SSLSocket socket = connect(clientContext, listener)) {
                    socket.getOutputStream().write('x');
                    socket.getOutputStream().flush();
                    socket.getInputStream().read();
                }
            }).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> peer.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(SSLException.class);
        }
    }

    @Test
    void clientRefusesAServerItsCaDidNotIssue() throws Exception {
        CertificateAuthority stranger = CertificateAuthority.inMemory(KeyAlgorithm.EC_P256, "Stranger", Clock.systemUTC(), TestPki.RANDOM);
        SSLContext serverContext = TlsContexts.server(server);
        try (SSLServerSocket listener = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) listener.accept()) {
                    accepted.startHandshake();
                } catch (IOException expected) {
                    // the client aborts the handshake
                }
            });
            assertThatThrownBy(() -> {
                try (SSLSocket socket = connect(TlsContexts.client(List.of(stranger.certificate())), listener)) {
                    socket.startHandshake();
                }
            }).isInstanceOf(SSLException.class);
        }
    }

    @Test
    void everyConnectionObjectHasOnlyTls13And12Enabled() throws Exception {
        SSLContext context = TlsContexts.server(server);
        assertThat(context.createSSLEngine().getEnabledProtocols()).containsExactlyInAnyOrderElementsOf(TlsContexts.PROTOCOLS);
        assertThat(context.getDefaultSSLParameters().getProtocols()).containsExactlyInAnyOrderElementsOf(TlsContexts.PROTOCOLS);
        try (SSLServerSocket listener = listen(context)) {
            assertThat(listener.getEnabledProtocols()).containsExactlyInAnyOrderElementsOf(TlsContexts.PROTOCOLS);
        }
        try (SSLSocket socket = (SSLSocket) TlsContexts.client(List.of(ca.certificate())).getSocketFactory().createSocket()) {
            assertThat(socket.getEnabledProtocols()).containsExactlyInAnyOrderElementsOf(TlsContexts.PROTOCOLS);
        }
    }

    @Test
    void keyStoreHoldsTheChainAndKey() throws Exception {
        char[] password = "pw".toCharArray();
        var store = TlsContexts.keyStore(server.chain(), server.privateKey(), password);
        assertThat(store.getKey("rampart", password)).isEqualTo(server.privateKey());
        assertThat(store.getCertificateChain("rampart")).containsExactly(server.chain().toArray(new X509Certificate[0]));
        assertThat(TlsContexts.trustStore(List.of(ca.certificate())).getCertificate("ca-0")).isEqualTo(ca.certificate());
    }

    private static SSLServerSocket listen(SSLContext context) throws IOException {
        SSLServerSocket listener = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getLoopbackAddress());
        listener.setNeedClientAuth(true);
        return listener;
    }

    /** Accepts one connection, answers 'y' to 'x', and yields the client certificate's subject. */
    private static CompletableFuture<String> acceptOne(SSLServerSocket listener) {
        return CompletableFuture.supplyAsync(() -> {
            try (SSLSocket accepted = (SSLSocket) listener.accept()) {
                accepted.setSoTimeout(20_000);
                accepted.startHandshake();
                int read = accepted.getInputStream().read();
                accepted.getOutputStream().write(read == 'x' ? 'y' : 'n');
                accepted.getOutputStream().flush();
                return ((X509Certificate) accepted.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
            } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    private static SSLSocket connect(SSLContext context, SSLServerSocket listener) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        socket.setSoTimeout(20_000);
        return socket;
    }
}
