package io.rampart.broker.gateway;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.rampart.broker.BrokerLimits;
import io.rampart.store.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** MQTT 5 topic aliases from client to broker (MQTT 5 §3.3.2.3.4), with the broker's Topic Alias Maximum of 16. */
class TopicAliasTest {
    /** The broker's clock stands still, so every connection's publish-rate window is one and the same second. */
    static final int PUBLISHES_PER_SECOND = 4;
    static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = new TestGateway(config -> config.withLimits(BrokerLimits.awsDefaults()
                        .withMinConnectInterval(Duration.ZERO).withMaxPublishesPerSecond(PUBLISHES_PER_SECOND)),
                new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        TestGateway.assertNoLeaks();
    }

    private static WireClient wire() throws IOException {
        return new WireClient(gateway.device().sslContext(), gateway.port());
    }

    private static MqttProperties alias(int alias) {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.IntegerProperty(MqttPropertyType.TOPIC_ALIAS.value(), alias));
        return properties;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int pubAckReason(WireClient client) throws IOException {
        MqttMessage pubAck = client.expect(MqttMessageType.PUBACK);
        return ((MqttPubReplyMessageVariableHeader) pubAck.variableHeader()).reasonCode() & 0xFF;
    }

    @Test
    void anAliasSetWithATopicStandsForThatTopicUntilRemapped() throws Exception {
        Mqtt5BlockingClient subscriber = gateway.device().v5(TestGateway.clientId("alias-sub"));
        subscriber.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes inbox = subscriber.publishes(MqttGlobalPublishFilter.ALL);
             WireClient publisher = wire()) {
            subscriber.subscribeWith().topicFilter("alias/+").qos(MqttQos.AT_LEAST_ONCE).send();
            MqttConnAckMessage connAck = publisher.connect(TestGateway.clientId("alias-pub"), MqttProperties.NO_PROPERTIES);
            assertThat(connAck.variableHeader().properties().getProperty(MqttPropertyType.TOPIC_ALIAS_MAXIMUM.value()).value())
                    .isEqualTo(16);

            publisher.publish("alias/one", MqttQoS.AT_LEAST_ONCE, 1, bytes("a"), alias(16));
            publisher.publish("", MqttQoS.AT_LEAST_ONCE, 2, bytes("b"), alias(16));
            publisher.publish("alias/two", MqttQoS.AT_LEAST_ONCE, 3, bytes("c"), alias(16));
            publisher.publish("", MqttQoS.AT_LEAST_ONCE, 4, bytes("d"), alias(16));
            for (int i = 0; i < 4; i++) {
                assertThat(pubAckReason(publisher)).isZero();
            }
            List<String> received = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Mqtt5Publish publish = inbox.receive(5, TimeUnit.SECONDS).orElseThrow();
                received.add(publish.getTopic() + "=" + new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8));
            }
            assertThat(received).containsExactly("alias/one=a", "alias/one=b", "alias/two=c", "alias/two=d");
        }
        subscriber.disconnect();
    }

    @Test
    void anAliasAboveTheTopicAliasMaximumDisconnectsWith0x94() throws Exception {
        try (WireClient client = wire()) {
            client.connect(TestGateway.clientId("alias-17"), MqttProperties.NO_PROPERTIES);
            client.publish("alias/x", MqttQoS.AT_MOST_ONCE, 0, bytes("x"), alias(17));
            assertThat(client.disconnectReason()).isEqualTo(0x94);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void aliasZeroDisconnectsWith0x94() throws Exception {
        try (WireClient client = wire()) {
            client.connect(TestGateway.clientId("alias-0"), MqttProperties.NO_PROPERTIES);
            client.publish("alias/x", MqttQoS.AT_MOST_ONCE, 0, bytes("x"), alias(0));
            assertThat(client.disconnectReason()).isEqualTo(0x94);
        }
    }

    @Test
    void anEmptyTopicWithAnAliasNeverSetIsAProtocolError() throws Exception {
        try (WireClient client = wire()) {
            client.connect(TestGateway.clientId("alias-unknown"), MqttProperties.NO_PROPERTIES);
            client.publish("", MqttQoS.AT_LEAST_ONCE, 1, bytes("x"), alias(3));
            assertThat(client.disconnectReason()).isEqualTo(0x82);
        }
    }

    @Test
    void anEmptyTopicWithoutAnAliasIsAProtocolError() throws Exception {
        try (WireClient client = wire()) {
            client.connect(TestGateway.clientId("alias-none"), MqttProperties.NO_PROPERTIES);
            client.publish("", MqttQoS.AT_LEAST_ONCE, 1, bytes("x"), MqttProperties.NO_PROPERTIES);
            assertThat(client.disconnectReason()).isEqualTo(0x82);
        }
    }

    @Test
    void aliasesDoNotCarryOverToTheNextConnection() throws Exception {
        String clientId = TestGateway.clientId("alias-again");
        MqttProperties persistent = new MqttProperties();
        persistent.add(new MqttProperties.IntegerProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), 60));
        try (WireClient first = wire()) {
            first.connect(clientId, persistent);
            first.publish("alias/kept", MqttQoS.AT_LEAST_ONCE, 1, bytes("x"), alias(1));
            assertThat(pubAckReason(first)).isZero();
            first.disconnect(0, MqttProperties.NO_PROPERTIES);
        }
        try (WireClient second = wire()) {
            // Even with the session resumed, the alias belonged to the old connection (MQTT-3.3.2-7).
            MqttConnAckMessage connAck = second.connect(clientId, false, persistent, builder -> {
            });
            assertThat(connAck.variableHeader().isSessionPresent()).isTrue();
            second.publish("", MqttQoS.AT_LEAST_ONCE, 1, bytes("x"), alias(1));
            assertThat(second.disconnectReason()).isEqualTo(0x82);
        }
    }

    @Test
    void aPublishRefusedForRateOrPolicyStillSetsItsAlias() throws Exception {
        try (WireClient client = wire()) {
            client.connect(TestGateway.clientId("alias-refused"), MqttProperties.NO_PROPERTIES);
            // Denied by the policy (topic/forbidden/*): 0x87, but alias 2 now means forbidden/x.
            client.publish("forbidden/x", MqttQoS.AT_LEAST_ONCE, 1, bytes("x"), alias(2));
            client.publish("", MqttQoS.AT_LEAST_ONCE, 2, bytes("x"), alias(2));
            assertThat(pubAckReason(client)).isEqualTo(0x87);
            assertThat(pubAckReason(client)).isEqualTo(0x87);
            client.publish("alias/ok", MqttQoS.AT_LEAST_ONCE, 3, bytes("x"), alias(1));
            client.publish("", MqttQoS.AT_LEAST_ONCE, 4, bytes("x"), alias(1));
            assertThat(pubAckReason(client)).isZero();
            assertThat(pubAckReason(client)).isZero();
            // Over the rate limit: 0x97 Quota exceeded, yet alias 3 is set and usable.
            client.publish("alias/late", MqttQoS.AT_LEAST_ONCE, 5, bytes("x"), alias(3));
            client.publish("", MqttQoS.AT_LEAST_ONCE, 6, bytes("x"), alias(3));
            assertThat(pubAckReason(client)).isEqualTo(0x97);
            assertThat(pubAckReason(client)).isEqualTo(0x97);
            client.send(new MqttMessage(new io.netty.handler.codec.mqtt.MqttFixedHeader(MqttMessageType.PINGREQ, false,
                    MqttQoS.AT_MOST_ONCE, false, 0)));
            client.expect(MqttMessageType.PINGRESP);
        }
    }
}
