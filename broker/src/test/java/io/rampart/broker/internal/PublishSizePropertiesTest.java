package io.rampart.broker.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import io.rampart.broker.gateway.LeakWatch;
import io.rampart.messaging.Message;
import io.rampart.messaging.MessageProperties;
import io.rampart.messaging.QoS;
import io.rampart.messaging.Topic;
import io.rampart.messaging.UserProperty;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PublishSize} agrees byte for byte with what Netty's encoder writes for the PUBLISH the connection builds
 * ({@link MqttConnection#outboundProperties}): the check against a client's Maximum Packet Size depends on it.
 */
class PublishSizePropertiesTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @AfterContainer
    static void noLeaks() {
        LeakWatch.assertNoLeaks();
    }

    @Property(tries = 300)
    void theComputedSizeIsTheEncodedSize(@ForAll("messages") Message message, @ForAll boolean v5,
                                         @ForAll("subscriptionIdentifiers") List<Integer> subscriptionIdentifiers) {
        Outbound outbound = new Outbound(message, subscriptionIdentifiers);
        long computed = PublishSize.of(message, v5, message.expiresAt() != null, subscriptionIdentifiers);
        assertThat(computed).isEqualTo(encodedSize(outbound, v5));
    }

    private static long encodedSize(Outbound outbound, boolean v5) {
        EmbeddedChannel channel = new EmbeddedChannel(MqttEncoder.INSTANCE);
        channel.attr(AttributeKey.<MqttVersion>valueOf("NETTY_CODEC_MQTT_VERSION"))
                .set(v5 ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1);
        Message message = outbound.message();
        MqttQoS qos = MqttQoS.valueOf(message.qos().value());
        channel.writeOutbound(new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, qos, message.retain(), 0),
                new MqttPublishVariableHeader(message.topic().value(), qos == MqttQoS.AT_MOST_ONCE ? 0 : 1,
                        v5 ? MqttConnection.outboundProperties(outbound, NOW) : MqttProperties.NO_PROPERTIES),
                Unpooled.wrappedBuffer(message.payload())));
        long size = 0;
        ByteBuf out;
        while ((out = channel.readOutbound()) != null) {
            size += out.readableBytes();
            out.release();
        }
        channel.finishAndReleaseAll();
        return size;
    }

    @Provide
    Arbitrary<List<Integer>> subscriptionIdentifiers() {
        return Arbitraries.oneOf(Arbitraries.integers().between(1, 200), Arbitraries.integers().between(1, 268_435_455))
                .list().ofMaxSize(3);
    }

    @Provide
    Arbitrary<Message> messages() {
        Arbitrary<String> text = Arbitraries.strings().withCharRange('a', 'z').withChars('/', 'é', '€', '中').ofMinLength(1).ofMaxLength(300);
        Arbitrary<Topic> topics = text.filter(s -> !s.isEmpty()).map(Topic::new);
        // Payload sizes around the variable-byte-integer boundaries of the remaining length (128, 16384, 2097152).
        Arbitrary<Integer> payloadSizes = Arbitraries.oneOf(Arbitraries.integers().between(0, 300),
                Arbitraries.integers().between(16_000, 16_800), Arbitraries.integers().between(2_096_500, 2_097_300));
        Arbitrary<UserProperty> users = Arbitraries.strings().ofMaxLength(40).map(s -> new UserProperty("k" + s, s));
        Arbitrary<MessageProperties> properties = net.jqwik.api.Combinators.combine(Arbitraries.of(true, false),
                text.injectNull(0.5), topics.injectNull(0.5), Arbitraries.bytes().array(byte[].class).ofMaxSize(100).injectNull(0.5),
                users.list().ofMaxSize(4)).as(MessageProperties::new);
        return net.jqwik.api.Combinators.combine(topics, payloadSizes, Arbitraries.of(QoS.AT_MOST_ONCE, QoS.AT_LEAST_ONCE, QoS.EXACTLY_ONCE),
                Arbitraries.of(true, false), Arbitraries.longs().between(0, 1_000_000).injectNull(0.5), properties)
                .as((topic, size, qos, retain, expirySeconds, props) -> new Message(topic, new byte[size], qos, retain,
                        expirySeconds == null ? null : NOW.plusSeconds(expirySeconds), props));
    }
}
