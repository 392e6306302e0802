package io.rampart.broker.gateway;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import io.rampart.broker.BrokerLimits;
import io.rampart.broker.internal.ServerTls;
import io.rampart.messaging.AuthenticationFailureReason;
import io.rampart.messaging.Registration;
import io.rampart.messaging.SecurityEvent;
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
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The gateway reports refused clients, policy denials and session takeovers to MessageBus security listeners. */
class SecurityEventsTest {
    static TestGateway gateway;
    static final List<SecurityEvent> events = new CopyOnWriteArrayList<>();
    static Registration registration;

    @BeforeAll
    static void start() {
        // No connect-rate limit, so the takeover needs no pause. The default handshake timeout (10 s): on a loaded
        // machine a 1 s one would refuse ordinary clients (the slow-handshake case has a gateway of its own).
        gateway = new TestGateway(config -> config.withLimits(BrokerLimits.awsDefaults().withMinConnectInterval(Duration.ZERO)));
        registration = gateway.broker.onSecurityEvent(events::add);
    }

    @AfterAll
    static void stop() {
        registration.close();
        gateway.close();
        TestGateway.assertNoLeaks();
    }

    /** Waits (at most 10 s) for an event of {@code type} matching {@code match}; fails naming what did arrive. */
    private static <T extends SecurityEvent> T awaitEvent(Class<T> type, Predicate<T> match) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            for (SecurityEvent event : events) {
                if (type.isInstance(event) && match.test(type.cast(event))) {
                    return type.cast(event);
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no matching " + type.getSimpleName() + " among " + events);
    }

    private static void handshakeAndConnect(SSLContext context, Optional<String> sni) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(5_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setApplicationProtocols(new String[]{ServerTls.ALPN_AWS_MQTT});
            sni.ifPresent(name -> parameters.setServerNames(List.of(new SNIHostName(name))));
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            socket.getOutputStream().write(RawMqtt.connect311(TestGateway.clientId("sec")));
            socket.getOutputStream().flush();
            assertThat(socket.getInputStream().read()).as("the refused client gets no CONNACK").isEqualTo(-1);
        } catch (SocketException | SSLException e) {
            // Refused during or right after the handshake: what these tests expect.
        }
    }

    @Test
    void aClientWithoutCertificateIsReported() throws Exception {
        handshakeAndConnect(TlsContexts.client(List.of(gateway.ca.certificate())), Optional.empty());
        SecurityEvent.AuthenticationFailed event = awaitEvent(SecurityEvent.AuthenticationFailed.class,
                e -> e.reason() == AuthenticationFailureReason.NO_CLIENT_CERTIFICATE);
        assertThat(event.sourceIp()).isEqualTo("127.0.0.1");
        assertThat(event.certificateId()).isEmpty();
    }

    @Test
    void aClientWithoutCertificateIsReportedAsSuchWithJdkTlsToo() throws Exception {
        // The providers word the failure differently; the reason must not depend on which one is in use.
        try (TestGateway jdk = new TestGateway(config -> config.withNativeTransport(false))) {
            List<SecurityEvent> seen = new CopyOnWriteArrayList<>();
            jdk.broker.onSecurityEvent(seen::add);
            try (SSLSocket socket = (SSLSocket) TlsContexts.client(List.of(jdk.ca.certificate())).getSocketFactory()
                    .createSocket("127.0.0.1", jdk.port())) {
                socket.setSoTimeout(5_000);
                socket.startHandshake();
                socket.getInputStream().read();
            } catch (IOException e) {
                // refused: expected
            }
            for (int i = 0; i < 200 && seen.isEmpty(); i++) {
                Thread.sleep(50);
            }
            assertThat(jdk.broker.tlsProvider().name()).isEqualTo("JDK");
            assertThat(seen).singleElement().isInstanceOfSatisfying(SecurityEvent.AuthenticationFailed.class,
                    e -> assertThat(e.reason()).isEqualTo(AuthenticationFailureReason.NO_CLIENT_CERTIFICATE));
        }
    }

    @Test
    void aForeignCertificateIsReportedWithItsIdAndIssuer() throws Exception {
        TestGateway.Device stranger = gateway.strangerDevice();
        handshakeAndConnect(stranger.sslContext(), Optional.of("iot.example.com"));
        SecurityEvent.AuthenticationFailed event = awaitEvent(SecurityEvent.AuthenticationFailed.class,
                e -> e.certificateId().equals(Optional.of(stranger.certificateId().value())));
        assertThat(event.reason()).isEqualTo(AuthenticationFailureReason.UNKNOWN_CERTIFICATE);
        assertThat(event.issuer()).contains("CN=Some Other CA");
        assertThat(event.serverName()).contains("iot.example.com");
        assertThat(event.alpnProtocol()).contains(ServerTls.ALPN_AWS_MQTT);
        assertThat(event.sourceIp()).isEqualTo("127.0.0.1");
        assertThat(event.detail()).contains("unknown issuer");
    }

    @Test
    void aRevokedCertificateIsReportedAsRevoked() throws Exception {
        TestGateway.Device device = gateway.device();
        gateway.revoked.add(device.certificateId());
        handshakeAndConnect(device.sslContext(), Optional.empty());
        SecurityEvent.AuthenticationFailed event = awaitEvent(SecurityEvent.AuthenticationFailed.class,
                e -> e.certificateId().equals(Optional.of(device.certificateId().value())));
        assertThat(event.reason()).isEqualTo(AuthenticationFailureReason.CERTIFICATE_REVOKED);
    }

    @Test
    void aHandshakeThatNeverFinishesIsReportedAsATimeout() throws Exception {
        try (TestGateway slow = new TestGateway(config -> config.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2)))) {
            List<SecurityEvent> seen = new CopyOnWriteArrayList<>();
            slow.broker.onSecurityEvent(seen::add);
            try (Socket socket = new Socket("127.0.0.1", slow.port())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(new byte[]{0x16, 0x03, 0x01}); // the start of a ClientHello, then silence
                socket.getOutputStream().flush();
                InputStream in = socket.getInputStream();
                try {
                    while (in.read() != -1) {
                        // drain until the broker closes
                    }
                } catch (SocketException e) {
                    // reset by the broker: closed as well
                }
            }
            for (int i = 0; i < 200 && seen.isEmpty(); i++) {
                Thread.sleep(50);
            }
            assertThat(seen).singleElement().isInstanceOfSatisfying(SecurityEvent.AuthenticationFailed.class,
                    e -> assertThat(e.reason()).isEqualTo(AuthenticationFailureReason.TLS_HANDSHAKE_TIMEOUT));
        }
    }

    @Test
    void everyDeniedPublishIsReportedAlsoWhenTheDenialWasCached() throws Exception {
        TestGateway.Device device = gateway.device();
        String clientId = TestGateway.clientId("denied");
        Mqtt5BlockingClient client = device.v5(clientId);
        client.connect();
        for (int i = 0; i < 3; i++) {
            catchThrowableOfType(Mqtt5PubAckException.class, () ->
                    client.publishWith().topic("forbidden/x").payload(new byte[]{1}).qos(MqttQos.AT_LEAST_ONCE).send());
        }
        catchThrowableOfType(Mqtt5SubAckException.class, () -> client.subscribeWith().topicFilter("forbidden/#").send());
        client.disconnect();

        Predicate<SecurityEvent.AuthorizationDenied> publish = e -> e.clientId().equals(clientId)
                && e.action().equals("iot:Publish");
        awaitEvent(SecurityEvent.AuthorizationDenied.class, publish);
        SecurityEvent.AuthorizationDenied subscribe = awaitEvent(SecurityEvent.AuthorizationDenied.class,
                e -> e.clientId().equals(clientId) && e.action().equals("iot:Subscribe"));
        assertThat(subscribe.resource()).isEqualTo("arn:aws:iot:us-east-1:000000000000:topicfilter/forbidden/#");
        List<SecurityEvent.AuthorizationDenied> publishes = events.stream()
                .filter(SecurityEvent.AuthorizationDenied.class::isInstance).map(SecurityEvent.AuthorizationDenied.class::cast)
                .filter(publish).toList();
        assertThat(publishes).hasSize(3).allSatisfy(e -> {
            assertThat(e.resource()).isEqualTo("arn:aws:iot:us-east-1:000000000000:topic/forbidden/x");
            assertThat(e.principalId()).isEqualTo(device.certificateId().value());
            assertThat(e.sourceIp()).isEqualTo("127.0.0.1");
        });
    }

    @Test
    void aDeniedConnectIsReported() throws Exception {
        TestGateway.Device device = gateway.device();
        String clientId = TestGateway.clientId("banned");
        catchThrowableOfType(Mqtt5ConnAckException.class, () -> device.v5(clientId).connect());
        SecurityEvent.AuthorizationDenied event = awaitEvent(SecurityEvent.AuthorizationDenied.class,
                e -> e.clientId().equals(clientId));
        assertThat(event.action()).isEqualTo("iot:Connect");
        assertThat(event.resource()).isEqualTo("arn:aws:iot:us-east-1:000000000000:client/" + clientId);
        assertThat(event.principalId()).isEqualTo(device.certificateId().value());
    }

    @Test
    void aTakeoverIsReportedWithBothConnections() throws Exception {
        String clientId = TestGateway.clientId("twin");
        TestGateway.Device first = gateway.device();
        TestGateway.Device second = gateway.device();
        Mqtt5BlockingClient old = first.v5(clientId);
        old.connect();
        Mqtt5BlockingClient next = second.v5(clientId);
        next.connect();
        SecurityEvent.SessionTakenOver event = awaitEvent(SecurityEvent.SessionTakenOver.class,
                e -> e.clientId().equals(clientId));
        assertThat(event.previous().principalId()).isEqualTo(first.certificateId().value());
        assertThat(event.next().principalId()).isEqualTo(second.certificateId().value());
        assertThat(event.previous().sessionId()).isNotEqualTo(event.next().sessionId());
        assertThat(event.next().sourceIp()).isEqualTo("127.0.0.1");
        next.disconnect();
    }
}
