package io.rampart.broker.gateway;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.rampart.broker.BrokerLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MQTT 5 flow control (§4.9) both ways: the broker never has more unacknowledged QoS 1/2 deliveries towards a client
 * than the client's Receive Maximum, and it announces its own (the in-flight window, here 5) and disconnects a client
 * that exceeds it with 0x93.
 */
class ReceiveMaximumTest {
    static final int BROKER_RECEIVE_MAXIMUM = 5;
    /** How long a test watches for a PUBLISH that must not come: the broker had it queued, so it would come at once. */
    static final Duration QUIET = Duration.ofMillis(700);
    static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = new TestGateway(config -> config.withLimits(BrokerLimits.awsDefaults()
                .withMinConnectInterval(Duration.ZERO).withMaxInFlight(BROKER_RECEIVE_MAXIMUM)));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        TestGateway.assertNoLeaks();
    }

    private static WireClient wire() throws IOException {
        return new WireClient(gateway.device().sslContext(), gateway.port());
    }

    private static MqttProperties receiveMaximum(int value) {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.IntegerProperty(MqttPropertyType.RECEIVE_MAXIMUM.value(), value));
        return properties;
    }

    private static Mqtt5BlockingClient publisher() {
        Mqtt5BlockingClient publisher = gateway.device().v5(TestGateway.clientId("flow-pub"));
        publisher.connect();
        return publisher;
    }

    private static MqttPublishMessage nextPublish(WireClient client) throws IOException {
        return (MqttPublishMessage) client.expect(MqttMessageType.PUBLISH);
    }

    @Test
    void theBrokerAnnouncesItsReceiveMaximum() {
        Mqtt5BlockingClient client = gateway.device().v5(TestGateway.clientId("flow-announce"));
        Mqtt5ConnAck connAck = client.connect();
        assertThat(connAck.getRestrictions().getReceiveMaximum()).isEqualTo(BROKER_RECEIVE_MAXIMUM);
        client.disconnect();
    }

    @Test
    void qos1DeliveriesWaitForPubAckOnceTheClientsReceiveMaximumIsReached() throws Exception {
        Mqtt5BlockingClient publisher = publisher();
        try (WireClient subscriber = wire()) {
            subscriber.connect(TestGateway.clientId("flow-q1"), receiveMaximum(2));
            subscriber.subscribe(1, "flow/q1", MqttQoS.AT_LEAST_ONCE, MqttProperties.NO_PROPERTIES);
            for (int i = 0; i < 5; i++) {
                publisher.publishWith().topic("flow/q1").payload(new byte[]{(byte) i}).qos(MqttQos.AT_LEAST_ONCE).send();
            }
            List<Integer> payloads = new ArrayList<>();
            MqttPublishMessage first = nextPublish(subscriber);
            MqttPublishMessage second = nextPublish(subscriber);
            payloads.add((int) first.content().getByte(0));
            payloads.add((int) second.content().getByte(0));
            assertThat(subscriber.next(QUIET)).as("a third PUBLISH while two are unacknowledged").isEmpty();

            subscriber.acknowledge(MqttMessageType.PUBACK, first.variableHeader().packetId());
            MqttPublishMessage third = nextPublish(subscriber);
            payloads.add((int) third.content().getByte(0));
            assertThat(subscriber.next(QUIET)).as("a fourth PUBLISH while two are unacknowledged").isEmpty();

            subscriber.acknowledge(MqttMessageType.PUBACK, second.variableHeader().packetId());
            subscriber.acknowledge(MqttMessageType.PUBACK, third.variableHeader().packetId());
            for (int i = 0; i < 2; i++) {
                MqttPublishMessage next = nextPublish(subscriber);
                payloads.add((int) next.content().getByte(0));
                subscriber.acknowledge(MqttMessageType.PUBACK, next.variableHeader().packetId());
            }
            assertThat(payloads).containsExactly(0, 1, 2, 3, 4);
        }
        publisher.disconnect();
    }

    @Test
    void aResumedSessionResendsItsUnacknowledgedDeliveriesWithinTheNewReceiveMaximum() throws Exception {
        String clientId = TestGateway.clientId("flow-resume");
        Mqtt5BlockingClient publisher = publisher();
        List<Integer> packetIds = new ArrayList<>();
        try (WireClient first = wire()) {
            MqttProperties properties = receiveMaximum(BROKER_RECEIVE_MAXIMUM);
            properties.add(new MqttProperties.IntegerProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), 60));
            first.connect(clientId, properties);
            first.subscribe(1, "flow/resume", MqttQoS.AT_LEAST_ONCE, MqttProperties.NO_PROPERTIES);
            for (int i = 0; i < 4; i++) {
                publisher.publishWith().topic("flow/resume").payload(new byte[]{(byte) i}).qos(MqttQos.AT_LEAST_ONCE).send();
            }
            for (int i = 0; i < 4; i++) {
                packetIds.add(nextPublish(first).variableHeader().packetId());
            }
        } // gone without acknowledging any
        try (WireClient again = wire()) {
            MqttProperties properties = receiveMaximum(2);
            properties.add(new MqttProperties.IntegerProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), 60));
            MqttConnAckMessage connAck = again.connect(clientId, false, properties, builder -> {
            });
            assertThat(connAck.variableHeader().isSessionPresent()).isTrue();
            List<Integer> resent = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                MqttPublishMessage publish = nextPublish(again);
                assertThat(publish.fixedHeader().isDup()).isTrue();
                resent.add(publish.variableHeader().packetId());
            }
            assertThat(again.next(QUIET)).as("a third re-send with a Receive Maximum of 2").isEmpty();
            again.acknowledge(MqttMessageType.PUBACK, resent.get(0));
            resent.add(nextPublish(again).variableHeader().packetId());
            again.acknowledge(MqttMessageType.PUBACK, resent.get(1));
            again.acknowledge(MqttMessageType.PUBACK, resent.get(2));
            MqttPublishMessage last = nextPublish(again);
            assertThat(last.fixedHeader().isDup()).isTrue();
            resent.add(last.variableHeader().packetId());
            // MQTT-4.4.0-1: the original packet ids, in the original order.
            assertThat(resent).isEqualTo(packetIds);
        }
        publisher.disconnect();
    }

    @Test
    void aQos2DeliveryHoldsItsSlotUntilPubCompNotPubRec() throws Exception {
        Mqtt5BlockingClient publisher = publisher();
        try (WireClient subscriber = wire()) {
            subscriber.connect(TestGateway.clientId("flow-q2"), receiveMaximum(1));
            subscriber.subscribe(1, "flow/q2", MqttQoS.EXACTLY_ONCE, MqttProperties.NO_PROPERTIES);
            for (int i = 0; i < 2; i++) {
                publisher.publishWith().topic("flow/q2").payload(new byte[]{(byte) i}).qos(MqttQos.EXACTLY_ONCE).send();
            }
            MqttPublishMessage first = nextPublish(subscriber);
            int id = first.variableHeader().packetId();
            subscriber.acknowledge(MqttMessageType.PUBREC, id);
            subscriber.expect(MqttMessageType.PUBREL);
            assertThat(subscriber.next(QUIET)).as("a PUBLISH before PUBCOMP").isEmpty();
            subscriber.acknowledge(MqttMessageType.PUBCOMP, id);
            assertThat(nextPublish(subscriber).content().getByte(0)).isEqualTo((byte) 1);
        }
        publisher.disconnect();
    }

    @Test
    void aPubRecWithAFailureReasonEndsTheExchangeAndFreesTheSlot() throws Exception {
        Mqtt5BlockingClient publisher = publisher();
        try (WireClient subscriber = wire()) {
            subscriber.connect(TestGateway.clientId("flow-q2-refused"), receiveMaximum(1));
            subscriber.subscribe(1, "flow/q2r", MqttQoS.EXACTLY_ONCE, MqttProperties.NO_PROPERTIES);
            for (int i = 0; i < 2; i++) {
                publisher.publishWith().topic("flow/q2r").payload(new byte[]{(byte) i}).qos(MqttQos.EXACTLY_ONCE).send();
            }
            MqttPublishMessage first = nextPublish(subscriber);
            // 0x80 Unspecified error: no PUBREL follows (MQTT 5 §4.3.3), the next message does.
            subscriber.send(new MqttMessage(new io.netty.handler.codec.mqtt.MqttFixedHeader(MqttMessageType.PUBREC, false,
                    MqttQoS.AT_MOST_ONCE, false, 0),
                    new MqttPubReplyMessageVariableHeader(first.variableHeader().packetId(), (byte) 0x80, MqttProperties.NO_PROPERTIES)));
            MqttPublishMessage second = nextPublish(subscriber);
            assertThat(second.content().getByte(0)).isEqualTo((byte) 1);
        }
        publisher.disconnect();
    }

    @Test
    void aClientWithMoreUnacknowledgedPublishesThanTheBrokersReceiveMaximumIsDisconnectedWith0x93() throws Exception {
        try (WireClient client = wire()) {
            client.connect(TestGateway.clientId("flow-flood"), MqttProperties.NO_PROPERTIES);
            // QoS 2 PUBLISHes stay unacknowledged (no PUBCOMP) until the client sends PUBREL, which it does not.
            for (int id = 1; id <= BROKER_RECEIVE_MAXIMUM; id++) {
                client.publish("flow/in", MqttQoS.EXACTLY_ONCE, id, new byte[]{1}, MqttProperties.NO_PROPERTIES);
                client.expect(MqttMessageType.PUBREC);
            }
            // A re-sent (DUP) PUBLISH of an id already counted is not a new one.
            client.publish("flow/in", MqttQoS.EXACTLY_ONCE, 1, new byte[]{1}, MqttProperties.NO_PROPERTIES);
            client.expect(MqttMessageType.PUBREC);
            client.publish("flow/in", MqttQoS.EXACTLY_ONCE, BROKER_RECEIVE_MAXIMUM + 1, new byte[]{1}, MqttProperties.NO_PROPERTIES);
            assertThat(client.disconnectReason()).isEqualTo(0x93);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void pubRelFreesTheClientsSlot() throws Exception {
        try (WireClient client = wire()) {
            client.connect(TestGateway.clientId("flow-release"), MqttProperties.NO_PROPERTIES);
            for (int id = 1; id <= BROKER_RECEIVE_MAXIMUM; id++) {
                client.publish("flow/in", MqttQoS.EXACTLY_ONCE, id, new byte[]{1}, MqttProperties.NO_PROPERTIES);
                client.expect(MqttMessageType.PUBREC);
            }
            client.acknowledge(MqttMessageType.PUBREL, 3);
            client.expect(MqttMessageType.PUBCOMP);
            client.publish("flow/in", MqttQoS.EXACTLY_ONCE, 3, new byte[]{2}, MqttProperties.NO_PROPERTIES);
            MqttMessage pubRec = client.expect(MqttMessageType.PUBREC);
            assertThat(((MqttPubReplyMessageVariableHeader) pubRec.variableHeader()).reasonCode()).isZero();
        }
    }

    @Test
    void aReceiveMaximumOfZeroIsAProtocolError() throws Exception {
        try (WireClient client = wire()) {
            MqttConnAckMessage connAck = client.connect(TestGateway.clientId("flow-zero"), receiveMaximum(0));
            assertThat(connAck.variableHeader().connectReturnCode())
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR);
            assertThat(client.closedByServer()).isTrue();
        }
    }
}
