package io.rampart.broker.gateway;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Each hostile or broken connection is closed, and only it: a bystander client keeps publishing and receiving. */
class ProtocolViolationTest {
    static TestGateway gateway;
    static TestGateway.Device device;
    static Mqtt5BlockingClient bystander;
    static Mqtt5BlockingClient.Mqtt5Publishes bystanderInbox;

    @BeforeAll
    static void start() {
        gateway = new TestGateway(config -> config.withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2)));
        device = gateway.device();
        bystander = device.v5(TestGateway.clientId("bystander"));
        bystander.connect();
        bystanderInbox = bystander.publishes(MqttGlobalPublishFilter.ALL);
        bystander.subscribeWith().topicFilter("bystander/echo").qos(MqttQos.AT_LEAST_ONCE).send();
    }

    @AfterAll
    static void stop() {
        bystanderInbox.close();
        bystander.disconnect();
        gateway.close();
        TestGateway.assertNoLeaks();
    }

    @AfterEach
    void bystanderStillWorks() throws InterruptedException {
        bystander.publishWith().topic("bystander/echo").payload(new byte[]{1}).qos(MqttQos.AT_LEAST_ONCE).send();
        assertThat(bystanderInbox.receive(5, TimeUnit.SECONDS)).isPresent();
    }

    private RawMqtt raw() throws IOException {
        return new RawMqtt(device.sslContext(), gateway.port());
    }

    @Test
    void aPacketBeforeConnectClosesTheConnection() throws IOException {
        try (RawMqtt raw = raw()) {
            raw.send(RawMqtt.subscribe(1, "a/b"));
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void aSecondConnectClosesTheConnection() throws IOException {
        try (RawMqtt raw = raw()) {
            raw.send(RawMqtt.connect311(TestGateway.clientId("twice")));
            byte[] connAck = raw.read(4);
            assertThat(connAck).containsExactly(0x20, 0x02, 0x00, 0x00);
            raw.send(RawMqtt.connect311(TestGateway.clientId("again")));
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void invalidUtf8InAPublishTopicClosesTheConnection() throws IOException {
        try (RawMqtt raw = raw()) {
            raw.send(RawMqtt.connect311(TestGateway.clientId("utf8")));
            raw.read(4);
            raw.send(RawMqtt.publishQos0(new byte[]{'a', '/', (byte) 0xC3, (byte) 0x28}, new byte[]{1}));
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void aWildcardInAPublishTopicClosesTheConnection() throws IOException {
        try (RawMqtt raw = raw()) {
            raw.send(RawMqtt.connect311(TestGateway.clientId("wild")));
            raw.read(4);
            raw.send(RawMqtt.publishQos0("a/+/b".getBytes(StandardCharsets.UTF_8), new byte[]{1}));
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void aPacketLargerThanTheLimitClosesTheConnection() throws IOException {
        try (RawMqtt raw = raw()) {
            raw.send(RawMqtt.connect311(TestGateway.clientId("big")));
            raw.read(4);
            byte[] payload = new byte[300 * 1024];
            boolean closed;
            try {
                raw.send(RawMqtt.publishQos0("big/one".getBytes(StandardCharsets.UTF_8), payload));
                closed = raw.closedByServer();
            } catch (SocketException e) {
                // The broker closed the connection while the rest of the packet was still being written.
                closed = true;
            }
            assertThat(closed).isTrue();
        }
    }

    @Test
    void garbageBytesCloseTheConnection() throws IOException {
        byte[] garbage = new byte[256];
        new Random(42).nextBytes(garbage);
        garbage[0] = (byte) 0xF0; // reserved packet type 15
        try (RawMqtt raw = raw()) {
            raw.send(garbage);
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void garbageAfterConnectClosesTheConnection() throws IOException {
        byte[] garbage = new byte[64];
        new Random(7).nextBytes(garbage);
        garbage[0] = 0x00; // packet type 0 is reserved
        try (RawMqtt raw = raw()) {
            raw.send(RawMqtt.connect311(TestGateway.clientId("garbage")));
            raw.read(4);
            raw.send(garbage);
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void aConnectionThatNeverSendsConnectIsClosedAfterTheTimeouts() throws IOException {
        try (RawMqtt raw = raw()) {
            raw.socket.setSoTimeout(10_000);
            assertThat(raw.closedByServer()).isTrue();
        }
    }
}
