package io.rampart.broker.gateway;

import io.rampart.broker.internal.ServerTls;
import io.rampart.pki.TlsContexts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the TLS listener demands: a client certificate the Authenticator accepts, modern protocols and suites. */
class TlsTest {
    static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = new TestGateway(config -> config.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2)));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        TestGateway.assertNoLeaks();
    }

    private static SSLSocket socket(SSLContext context) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", gateway.port());
        socket.setSoTimeout(5_000);
        return socket;
    }

    /** After the handshake, a CONNECT gets a CONNACK only if the certificate was accepted. */
    private static boolean connAckFor(SSLSocket socket) throws IOException {
        try {
            socket.startHandshake();
            socket.getOutputStream().write(RawMqtt.connect311(TestGateway.clientId("tls")));
            socket.getOutputStream().flush();
            byte[] connAck = socket.getInputStream().readNBytes(4);
            return connAck.length == 4 && connAck[0] == 0x20 && connAck[3] == 0;
        } catch (SocketException | SSLException e) {
            return false;
        }
    }

    @Test
    void aCertificateFromTheCaIsAccepted() throws IOException {
        try (SSLSocket socket = socket(gateway.device().sslContext())) {
            assertThat(connAckFor(socket)).isTrue();
        }
    }

    @Test
    void aClientWithoutCertificateIsRefused() throws IOException {
        try (SSLSocket socket = socket(TlsContexts.client(List.of(gateway.ca.certificate())))) {
            assertThat(connAckFor(socket)).isFalse();
        }
        assertThat(gateway.broker.statistics().handshakeFailures()).isPositive();
    }

    @Test
    void aCertificateTheAuthenticatorDoesNotKnowIsRefused() throws IOException {
        long before = gateway.broker.statistics().authenticationFailures();
        try (SSLSocket socket = socket(gateway.strangerDevice().sslContext())) {
            assertThat(connAckFor(socket)).isFalse();
        }
        assertThat(gateway.broker.statistics().authenticationFailures()).isGreaterThan(before);
    }

    @Test
    void aRevokedCertificateIsRefusedAtTheNextConnection() throws IOException {
        TestGateway.Device device = gateway.device();
        gateway.revoked.add(device.certificateId());
        try (SSLSocket socket = socket(device.sslContext())) {
            assertThat(connAckFor(socket)).isFalse();
        }
    }

    @Test
    void tls11IsRefused() throws Exception {
        TestGateway.Device device = gateway.device();
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new javax.net.ssl.KeyManager[]{TlsContexts.keyManager(List.of(device.credentials.certificate()),
                device.credentials.keyPair().getPrivate())}, new javax.net.ssl.TrustManager[]{
                TlsContexts.trustManager(List.of(gateway.ca.certificate()))}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(5_000);
            socket.setEnabledProtocols(new String[]{"TLSv1.1"});
            assertThatThrownBy(socket::startHandshake).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aCbcSuiteWithoutForwardSecrecyIsRefused() throws IOException {
        try (SSLSocket socket = socket(gateway.device().sslContext())) {
            socket.setEnabledProtocols(new String[]{"TLSv1.2"});
            socket.setEnabledCipherSuites(new String[]{"TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"});
            assertThatThrownBy(socket::startHandshake).isInstanceOf(IOException.class);
        }
    }

    @Test
    void tls12WithAnEcdheGcmSuiteIsAccepted() throws IOException {
        try (SSLSocket socket = socket(gateway.device().sslContext())) {
            socket.setEnabledProtocols(new String[]{"TLSv1.2"});
            socket.setEnabledCipherSuites(new String[]{"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"});
            assertThat(connAckFor(socket)).isTrue();
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
        }
    }

    @Test
    void awsAlpnAndSniAreAccepted() throws IOException {
        try (SSLSocket socket = socket(gateway.device().sslContext())) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setApplicationProtocols(new String[]{ServerTls.ALPN_AWS_MQTT});
            parameters.setServerNames(List.of(new SNIHostName("iot.example.com")));
            socket.setSSLParameters(parameters);
            assertThat(connAckFor(socket)).isTrue();
            assertThat(socket.getApplicationProtocol()).isEqualTo(ServerTls.ALPN_AWS_MQTT);
        }
    }

    @Test
    void aSlowLorisThatNeverFinishesTheHandshakeIsDropped() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(new byte[]{0x16, 0x03, 0x01}); // the start of a ClientHello, then silence
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            int read;
            try {
                do {
                    read = in.read();
                } while (read != -1);
            } catch (SocketException e) {
                read = -1;
            }
            assertThat(read).isEqualTo(-1);
        }
    }

    @Test
    void theBrokerUsesOpenSslAndEpollWhenAvailable() {
        assertThat(gateway.broker.tlsProvider().name()).isIn("OPENSSL", "JDK");
        assertThat(gateway.broker.transportName()).isIn("epoll", "nio");
        // On this project's Linux x86_64 build machines both native libraries load.
        if (System.getProperty("os.name").startsWith("Linux") && "amd64".equals(System.getProperty("os.arch"))) {
            assertThat(gateway.broker.tlsProvider().name()).isEqualTo("OPENSSL");
            assertThat(gateway.broker.transportName()).isEqualTo("epoll");
        }
    }
}
