package io.rampart.broker.gateway;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import io.rampart.broker.BrokerLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Maximum Packet Size both ways: the broker advertises its own and refuses bigger packets with 0x95, and never sends a
 * client a packet bigger than the client's (MQTT-3.1.2-24), discarding such a message for that client only
 * (MQTT-3.1.2-25).
 */
class MaximumPacketSizeTest {
    static final BrokerLimits LIMITS = BrokerLimits.awsDefaults().withMinConnectInterval(Duration.ZERO).withMaxPayloadBytes(1024);
    static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = new TestGateway(config -> config.withLimits(LIMITS));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        TestGateway.assertNoLeaks();
    }

    private static WireClient wire() throws IOException {
        return new WireClient(gateway.device().sslContext(), gateway.port());
    }

    private static MqttProperties maximumPacketSize(int bytes) {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.IntegerProperty(MqttPropertyType.MAXIMUM_PACKET_SIZE.value(), bytes));
        return properties;
    }

    @Test
    void theBrokerAdvertisesItsMaximumPacketSize() {
        Mqtt5BlockingClient client = gateway.device().v5(TestGateway.clientId("size-announce"));
        Mqtt5ConnAck connAck = client.connect();
        assertThat(connAck.getRestrictions().getMaximumPacketSize()).isEqualTo(LIMITS.maxPacketBytes());
        client.disconnect();
    }

    @Test
    void aPacketOverTheBrokersMaximumIsRefusedWith0x95() throws Exception {
        try (WireClient client = wire()) {
            client.connect(TestGateway.clientId("size-big"), MqttProperties.NO_PROPERTIES);
            client.publish("size/big", MqttQoS.AT_MOST_ONCE, 0, new byte[LIMITS.maxPacketBytes()], MqttProperties.NO_PROPERTIES);
            assertThat(client.disconnectReason()).isEqualTo(0x95);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void aPayloadOverThePayloadLimitIsRefusedWith0x95() throws Exception {
        try (WireClient client = wire()) {
            client.connect(TestGateway.clientId("size-payload"), MqttProperties.NO_PROPERTIES);
            client.publish("size/payload", MqttQoS.AT_LEAST_ONCE, 1, new byte[LIMITS.maxPayloadBytes() + 1], MqttProperties.NO_PROPERTIES);
            assertThat(client.disconnectReason()).isEqualTo(0x95);
        }
    }

    @Test
    void aMaximumPacketSizeOfZeroIsAProtocolError() throws Exception {
        try (WireClient client = wire()) {
            MqttConnAckMessage connAck = client.connect(TestGateway.clientId("size-zero"), maximumPacketSize(0));
            assertThat(connAck.variableHeader().connectReturnCode())
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR);
        }
    }

    @Test
    void aMessageOverTheClientsMaximumPacketSizeIsDiscardedForThatClientOnly() throws Exception {
        Mqtt5BlockingClient small = gateway.device().v5(TestGateway.clientId("size-small"));
        small.connectWith().restrictions().maximumPacketSize(200).applyRestrictions().send();
        Mqtt5BlockingClient large = gateway.device().v5(TestGateway.clientId("size-large"));
        large.connect();
        Mqtt5BlockingClient publisher = gateway.device().v5(TestGateway.clientId("size-pub"));
        publisher.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes smallInbox = small.publishes(MqttGlobalPublishFilter.ALL);
             Mqtt5BlockingClient.Mqtt5Publishes largeInbox = large.publishes(MqttGlobalPublishFilter.ALL)) {
            small.subscribeWith().topicFilter("size/fan").qos(MqttQos.AT_LEAST_ONCE).send();
            large.subscribeWith().topicFilter("size/fan").qos(MqttQos.AT_LEAST_ONCE).send();
            publisher.publishWith().topic("size/fan").payload(new byte[500]).qos(MqttQos.AT_LEAST_ONCE).send();
            publisher.publishWith().topic("size/fan").payload(new byte[10]).qos(MqttQos.AT_LEAST_ONCE).send();
            assertThat(smallInbox.receive(5, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes()).hasSize(10);
            assertThat(largeInbox.receive(5, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes()).hasSize(500);
            assertThat(largeInbox.receive(5, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes()).hasSize(10);
            // Discarded "as if delivered" (MQTT-3.1.2-25): the QoS 1 window is not left holding it.
            assertThat(small.getState().isConnected()).isTrue();
        }
        small.disconnect();
        large.disconnect();
        publisher.disconnect();
    }

    @Test
    void theLimitCountsEveryPropertyOfTheDeliveredPacketToTheByte() throws Exception {
        int limit = 300;
        Mqtt5BlockingClient publisher = gateway.device().v5(TestGateway.clientId("size-props-pub"));
        publisher.connect();
        try (WireClient subscriber = wire()) {
            subscriber.connect(TestGateway.clientId("size-exact"), maximumPacketSize(limit));
            MqttProperties subscriptionId = new MqttProperties();
            subscriptionId.add(new MqttProperties.IntegerProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value(), 200));
            subscriber.subscribe(1, "size/exact", MqttQoS.AT_LEAST_ONCE, subscriptionId);
            // What the broker will send, payload aside: topic, packet id, expiry, content type, response topic,
            // correlation data, a user property and the subscription identifier (two bytes as a variable integer).
            MqttProperties delivered = new MqttProperties();
            delivered.add(new MqttProperties.IntegerProperty(MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value(), 3600));
            delivered.add(new MqttProperties.StringProperty(MqttPropertyType.CONTENT_TYPE.value(), "text/plain"));
            delivered.add(new MqttProperties.StringProperty(MqttPropertyType.RESPONSE_TOPIC.value(), "size/reply"));
            delivered.add(new MqttProperties.BinaryProperty(MqttPropertyType.CORRELATION_DATA.value(), new byte[16]));
            delivered.add(new MqttProperties.UserProperty("trace", "0123456789"));
            delivered.add(new MqttProperties.IntegerProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value(), 200));
            int fits = limit - encodedSize("size/exact", delivered, 0);
            while (encodedSize("size/exact", delivered, fits) > limit) {
                fits--; // the remaining length's own encoding grew by a byte
            }
            assertThat(encodedSize("size/exact", delivered, fits)).isEqualTo(limit);
            for (int payload : new int[]{fits + 1, fits, 3}) {
                publisher.publishWith().topic("size/exact").payload(payloadOf(payload)).qos(MqttQos.AT_LEAST_ONCE)
                        .messageExpiryInterval(3600).contentType("text/plain").responseTopic("size/reply")
                        .correlationData(new byte[16]).userProperties().add("trace", "0123456789").applyUserProperties()
                        .send();
            }
            MqttPublishMessage exact = (MqttPublishMessage) subscriber.expect(MqttMessageType.PUBLISH);
            assertThat(exact.content().readableBytes()).as("the packet of exactly %d bytes", limit).isEqualTo(fits);
            assertThat(encodedSize("size/exact", exact.variableHeader().properties(), exact.content().readableBytes()))
                    .isEqualTo(limit);
            subscriber.acknowledge(MqttMessageType.PUBACK, exact.variableHeader().packetId());
            MqttPublishMessage small = (MqttPublishMessage) subscriber.expect(MqttMessageType.PUBLISH);
            assertThat(small.content().readableBytes()).isEqualTo(3);
        }
        publisher.disconnect();
    }

    private static byte[] payloadOf(int size) {
        byte[] payload = new byte[size];
        java.util.Arrays.fill(payload, (byte) 'x');
        return payload;
    }

    /** The size Netty's encoder gives a QoS 1 MQTT 5 PUBLISH: the oracle, independent of the broker's arithmetic. */
    private static int encodedSize(String topic, MqttProperties properties, int payloadBytes) {
        EmbeddedChannel channel = new EmbeddedChannel(MqttEncoder.INSTANCE);
        channel.attr(AttributeKey.<MqttVersion>valueOf("NETTY_CODEC_MQTT_VERSION")).set(MqttVersion.MQTT_5);
        channel.writeOutbound(new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE, false, 0),
                new MqttPublishVariableHeader(topic, 1, properties), Unpooled.wrappedBuffer(new byte[payloadBytes])));
        int size = 0;
        ByteBuf out;
        while ((out = channel.readOutbound()) != null) {
            size += out.readableBytes();
            out.release();
        }
        channel.finishAndReleaseAll();
        return size;
    }
}
