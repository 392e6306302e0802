package io.rampart.broker.gateway;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.rampart.broker.BrokerLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MQTT 5 will delay (§3.1.3.2.2): the will of a connection that ends without a normal DISCONNECT is sent when
 * the delay passes or the session ends, whichever is first, and not at all if a new connection for the client id
 * opens before that (MQTT-3.1.2-8). These tests wait in real time: the delays are whole seconds.
 */
class WillDelayTest {
    static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = new TestGateway(config -> config.withLimits(BrokerLimits.awsDefaults().withMinConnectInterval(Duration.ZERO)));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        TestGateway.assertNoLeaks();
    }

    /** A connection with a will on {@code willTopic}, delayed {@code delaySeconds}, in a session of {@code expirySeconds}. */
    private static WireClient connectWithWill(String clientId, String willTopic, int delaySeconds, int expirySeconds)
            throws IOException {
        WireClient client = new WireClient(gateway.device().sslContext(), gateway.port());
        MqttProperties session = new MqttProperties();
        session.add(new MqttProperties.IntegerProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), expirySeconds));
        MqttProperties will = new MqttProperties();
        will.add(new MqttProperties.IntegerProperty(MqttPropertyType.WILL_DELAY_INTERVAL.value(), delaySeconds));
        MqttConnAckMessage connAck = client.connect(clientId, true, session, builder -> builder.willFlag(true)
                .willTopic(willTopic).willMessage("gone".getBytes(StandardCharsets.UTF_8)).willQoS(MqttQoS.AT_LEAST_ONCE)
                .willProperties(will));
        assertThat(connAck.variableHeader().connectReturnCode().byteValue()).isZero();
        return client;
    }

    private static Mqtt5BlockingClient watcher(String filter) {
        Mqtt5BlockingClient watcher = gateway.device().v5(TestGateway.clientId("will-watch"));
        watcher.connect();
        watcher.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
        return watcher;
    }

    @Test
    void aDelayedWillIsSentOnlyOnceTheDelayHasPassed() throws Exception {
        String clientId = TestGateway.clientId("will-late");
        String topic = "will/late/" + clientId;
        Mqtt5BlockingClient watcher = watcher(topic);
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
            WireClient device = connectWithWill(clientId, topic, 2, 60);
            long droppedAt = System.nanoTime();
            device.close(); // no DISCONNECT: the connection is lost
            Mqtt5Publish will = inbox.receive(10, TimeUnit.SECONDS).orElseThrow();
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - droppedAt);
            assertThat(will.getTopic().toString()).isEqualTo(topic);
            // A correctness bound, not a speed one: sent any earlier, it would not have been delayed.
            assertThat(waitedMillis).as("ms between the drop and the will").isGreaterThanOrEqualTo(1_900);
        }
        watcher.disconnect();
    }

    @Test
    void aDelayedWillIsNotSentWhenTheClientReconnectsInTime() throws Exception {
        String clientId = TestGateway.clientId("will-back");
        String topic = "will/back/" + clientId;
        Mqtt5BlockingClient watcher = watcher(topic);
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
            connectWithWill(clientId, topic, 2, 60).close();
            Mqtt5BlockingClient back = gateway.device().v5(clientId);
            back.connectWith().cleanStart(false).sessionExpiryInterval(60).send();
            assertThat(inbox.receive(3, TimeUnit.SECONDS)).as("the will after the client came back").isEmpty();
            back.disconnect();
        }
        watcher.disconnect();
    }

    @Test
    void theWillIsSentWhenTheSessionEndsBeforeTheDelay() throws Exception {
        String clientId = TestGateway.clientId("will-expiry");
        String topic = "will/expiry/" + clientId;
        Mqtt5BlockingClient watcher = watcher(topic);
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
            connectWithWill(clientId, topic, 3600, 1).close();
            assertThat(inbox.receive(10, TimeUnit.SECONDS)).as("the will once the 1 s session expired").isPresent();
        }
        watcher.disconnect();
    }

    @Test
    void disconnectWithWillMessageSendsTheWillButANormalDisconnectDoesNot() throws Exception {
        Mqtt5BlockingClient watcher = watcher("will/disconnect/+");
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
            try (WireClient normal = connectWithWill(TestGateway.clientId("will-normal"), "will/disconnect/normal", 0, 0)) {
                normal.disconnect(0x00, MqttProperties.NO_PROPERTIES);
                assertThat(normal.closedByServer()).isTrue();
            }
            try (WireClient withWill = connectWithWill(TestGateway.clientId("will-0x04"), "will/disconnect/0x04", 0, 0)) {
                // MQTT 5 §3.14.2.1: 0x04 "Disconnect with Will Message" asks for the will to be sent.
                withWill.disconnect(0x04, MqttProperties.NO_PROPERTIES);
                assertThat(withWill.closedByServer()).isTrue();
            }
            Mqtt5Publish will = inbox.receive(5, TimeUnit.SECONDS).orElseThrow();
            assertThat(will.getTopic().toString()).isEqualTo("will/disconnect/0x04");
        }
        watcher.disconnect();
    }

    @Test
    void aWillCarriesItsPropertiesToReceivers() throws Exception {
        String clientId = TestGateway.clientId("will-props");
        String topic = "will/props/" + clientId;
        Mqtt5BlockingClient watcher = watcher(topic);
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
            WireClient device = new WireClient(gateway.device().sslContext(), gateway.port());
            MqttProperties will = new MqttProperties();
            will.add(new MqttProperties.StringProperty(MqttPropertyType.CONTENT_TYPE.value(), "text/plain"));
            will.add(new MqttProperties.StringProperty(MqttPropertyType.RESPONSE_TOPIC.value(), "will/props/reply"));
            will.add(new MqttProperties.IntegerProperty(MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value(), 600));
            will.add(new MqttProperties.UserProperty("reason", "power"));
            device.connect(clientId, true, MqttProperties.NO_PROPERTIES, builder -> builder.willFlag(true).willTopic(topic)
                    .willMessage("gone".getBytes(StandardCharsets.UTF_8)).willQoS(MqttQoS.AT_LEAST_ONCE).willProperties(will));
            device.close();
            Mqtt5Publish received = inbox.receive(5, TimeUnit.SECONDS).orElseThrow();
            assertThat(received.getContentType().orElseThrow().toString()).isEqualTo("text/plain");
            assertThat(received.getResponseTopic().orElseThrow().toString()).isEqualTo("will/props/reply");
            assertThat(received.getMessageExpiryInterval().orElseThrow()).isBetween(599L, 600L);
            assertThat(received.getUserProperties().asList()).singleElement()
                    .satisfies(p -> assertThat(p.getName() + "=" + p.getValue()).isEqualTo("reason=power"));
        }
        watcher.disconnect();
    }

    @Test
    void aTakeoverSendsAnUndelayedWillButNotADelayedOne() throws Exception {
        String prompt = TestGateway.clientId("will-takeover-now");
        String patient = TestGateway.clientId("will-takeover-later");
        Mqtt5BlockingClient watcher = watcher("will/takeover/+");
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = watcher.publishes(MqttGlobalPublishFilter.ALL);
             WireClient first = connectWithWill(prompt, "will/takeover/now", 0, 60);
             WireClient second = connectWithWill(patient, "will/takeover/later", 30, 60)) {
            Mqtt5BlockingClient newPrompt = gateway.device().v5(prompt);
            newPrompt.connect();
            Mqtt5BlockingClient newPatient = gateway.device().v5(patient);
            newPatient.connect();
            assertThat(first.disconnectReason()).isEqualTo(0x8E);
            assertThat(second.disconnectReason()).isEqualTo(0x8E);
            Optional<Mqtt5Publish> will = inbox.receive(5, TimeUnit.SECONDS);
            assertThat(will).isPresent();
            assertThat(will.get().getTopic().toString()).isEqualTo("will/takeover/now");
            assertThat(inbox.receive(1, TimeUnit.SECONDS)).as("the delayed will of a taken-over connection").isEmpty();
            newPrompt.disconnect();
            newPatient.disconnect();
        }
        watcher.disconnect();
    }
}
