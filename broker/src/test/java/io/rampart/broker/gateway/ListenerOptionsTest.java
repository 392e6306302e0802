package io.rampart.broker.gateway;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.rampart.broker.BrokerConfig;
import io.rampart.broker.BrokerLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The optional plain listener, keep-alive enforcement and MQTT 5 will delay. */
class ListenerOptionsTest {
    static TestGateway gateway;

    @BeforeAll
    static void start() {
        // Keep-alive floor lowered from AWS's 30 s so the timeout can be observed quickly.
        BrokerLimits quick = BrokerLimits.awsDefaults().withMinKeepAlive(Duration.ofSeconds(1));
        gateway = new TestGateway(config -> config.withLimits(quick)
                .withPlain(BrokerConfig.PlainListener.loopback(0, "plain-listener-policy")));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        TestGateway.assertNoLeaks();
    }

    @Test
    void thePlainListenerBindsLoopbackAndActsAsItsNamedPolicy() throws Exception {
        int port = gateway.broker.plainPort().orElseThrow();
        Mqtt5BlockingClient client = Mqtt5Client.builder().identifier(TestGateway.clientId("plain"))
                .serverHost("127.0.0.1").serverPort(port).buildBlocking();
        client.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = client.publishes(MqttGlobalPublishFilter.ALL)) {
            client.subscribeWith().topicFilter("plain/t").qos(MqttQos.AT_LEAST_ONCE).send();
            client.publishWith().topic("plain/t").payload(new byte[]{1}).qos(MqttQos.AT_LEAST_ONCE).send();
            assertThat(inbox.receive(5, TimeUnit.SECONDS)).isPresent();
        }
        client.disconnect();
        assertThat(gateway.principalsSeen).contains("plain-listener-policy");
    }

    @Test
    void aClientSilentForOneAndAHalfKeepAlivesIsDisconnected() throws Exception {
        try (RawMqtt raw = new RawMqtt(gateway.device().sslContext(), gateway.port())) {
            byte[] connect = RawMqtt.connect311(TestGateway.clientId("silent"));
            connect[11] = 1; // keep-alive 1 s (bytes 10..11 of this CONNECT)
            raw.send(connect);
            assertThat(raw.read(4)).containsExactly(0x20, 0x02, 0x00, 0x00);
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void aWillWithDelayIsPublishedAfterDisconnectWithWillMessage() throws Exception {
        Mqtt5BlockingClient watcher = gateway.device().v5(TestGateway.clientId("will-delay-watch"));
        watcher.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
            watcher.subscribeWith().topicFilter("delayed/will").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5BlockingClient client = gateway.device().v5(TestGateway.clientId("will-delay"));
            client.connectWith().sessionExpiryInterval(30)
                    .willPublish().topic("delayed/will").payload("bye".getBytes(StandardCharsets.UTF_8))
                    .qos(MqttQos.AT_LEAST_ONCE).delayInterval(1).applyWillPublish().send();
            client.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();
            assertThat(inbox.receive(5, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes())
                    .isEqualTo("bye".getBytes(StandardCharsets.UTF_8));
        }
        watcher.disconnect();
    }

    @Test
    void aPlainConnectionToTheTlsPortIsDropped() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(RawMqtt.connect311("cleartext"));
            socket.getOutputStream().flush();
            int first;
            try {
                first = socket.getInputStream().read();
                while (first != -1 && first != 0x15) { // a TLS alert record, or EOF
                    first = socket.getInputStream().read();
                }
            } catch (java.net.SocketException e) {
                first = -1;
            }
            assertThat(first).isIn(-1, 0x15);
        }
    }
}
