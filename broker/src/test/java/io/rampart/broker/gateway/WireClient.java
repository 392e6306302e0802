package io.rampart.broker.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscribePayload;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttVersion;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An MQTT 5 client driven by hand: Netty's own MQTT codec over a real TLS socket, for what no well-behaved client
 * library will send (an unknown topic alias, more unacknowledged PUBLISHes than the broker's Receive Maximum, a packet
 * over the advertised maximum) and for watching exactly what the broker sends (packet by packet, with their
 * properties). Received PUBLISH payloads are copied to heap buffers, so tests need not release anything.
 */
final class WireClient implements AutoCloseable {
    private final SSLSocket socket;
    private final EmbeddedChannel codec = new EmbeddedChannel(new MqttDecoder(16 * 1024 * 1024), MqttEncoder.INSTANCE);
    private final byte[] readBuffer = new byte[64 * 1024];
    private boolean endOfStream;

    WireClient(SSLContext context, int port) throws IOException {
        socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(5_000);
        socket.startHandshake();
        // The decoder reads the broker's packets as MQTT 5 once the encoder has sent an MQTT 5 CONNECT; tests that
        // never send one still decode MQTT 5.
        codec.attr(io.netty.util.AttributeKey.<MqttVersion>valueOf("NETTY_CODEC_MQTT_VERSION")).set(MqttVersion.MQTT_5);
    }

    /** CONNECT as MQTT 5 with clean start and {@code properties}; returns the CONNACK. */
    MqttConnAckMessage connect(String clientId, MqttProperties properties) throws IOException {
        return connect(clientId, true, properties, builder -> {
        });
    }

    /** CONNECT as MQTT 5; {@code more} may add a will or change flags. Returns the CONNACK. */
    MqttConnAckMessage connect(String clientId, boolean cleanStart, MqttProperties properties,
                               Consumer<MqttMessageBuilders.ConnectBuilder> more) throws IOException {
        MqttMessageBuilders.ConnectBuilder builder = MqttMessageBuilders.connect()
                .protocolVersion(MqttVersion.MQTT_5).clientId(clientId).cleanSession(cleanStart).keepAlive(60)
                .properties(properties);
        more.accept(builder);
        send(builder.build());
        MqttMessage reply = next().orElseThrow(() -> new AssertionError("no CONNACK within 5 s"));
        assertThat(reply.fixedHeader().messageType()).isEqualTo(MqttMessageType.CONNACK);
        return (MqttConnAckMessage) reply;
    }

    void send(MqttMessage message) throws IOException {
        codec.writeOutbound(message);
        ByteBuf out;
        while ((out = codec.readOutbound()) != null) {
            try {
                socket.getOutputStream().write(ByteBufUtil.getBytes(out));
            } finally {
                out.release();
            }
        }
        socket.getOutputStream().flush();
    }

    /** Writes raw bytes (a packet the encoder would refuse to build). */
    void sendBytes(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    void publish(String topic, MqttQoS qos, int packetId, byte[] payload, MqttProperties properties) throws IOException {
        send(new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, qos, false, 0),
                new MqttPublishVariableHeader(topic, packetId, properties), Unpooled.wrappedBuffer(payload)));
    }

    /** SUBSCRIBE to one filter; waits for the SUBACK, which must grant it. */
    void subscribe(int packetId, String filter, MqttQoS qos, MqttProperties properties) throws IOException {
        sendSubscribe(packetId, filter, MqttSubscriptionOption.onlyFromQos(qos), properties);
        MqttSubAckMessage subAck = (MqttSubAckMessage) expect(MqttMessageType.SUBACK);
        assertThat(subAck.payload().reasonCodes()).containsExactly(qos.value());
    }

    /** SUBSCRIBE to one filter with every option; the test reads what comes back. */
    void sendSubscribe(int packetId, String filter, MqttSubscriptionOption option, MqttProperties properties) throws IOException {
        send(new MqttSubscribeMessage(new MqttFixedHeader(MqttMessageType.SUBSCRIBE, false, MqttQoS.AT_LEAST_ONCE, false, 0),
                new MqttMessageIdAndPropertiesVariableHeader(packetId, properties),
                new MqttSubscribePayload(List.of(new MqttTopicSubscription(filter, option)))));
    }

    /** PUBACK, PUBREC, PUBREL or PUBCOMP for {@code packetId} with reason 0. */
    void acknowledge(MqttMessageType type, int packetId) throws IOException {
        MqttQoS qos = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
        send(new MqttMessage(new MqttFixedHeader(type, false, qos, false, 0),
                new MqttPubReplyMessageVariableHeader(packetId, (byte) 0, MqttProperties.NO_PROPERTIES)));
    }

    void disconnect(int reasonCode, MqttProperties properties) throws IOException {
        send(new MqttMessage(new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttReasonCodeAndPropertiesVariableHeader((byte) reasonCode, properties)));
    }

    /** The next packet from the broker, or empty when none came within 5 s or the broker closed the connection. */
    Optional<MqttMessage> next() throws IOException {
        return next(Duration.ofSeconds(5));
    }

    /** The next packet from the broker within {@code wait}, or empty on timeout or end of stream. */
    Optional<MqttMessage> next(Duration wait) throws IOException {
        socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
        while (true) {
            Object decoded = codec.readInbound();
            if (decoded != null) {
                return Optional.of(detached((MqttMessage) decoded));
            }
            if (endOfStream) {
                return Optional.empty();
            }
            int n;
            try {
                n = socket.getInputStream().read(readBuffer);
            } catch (SocketTimeoutException e) {
                return Optional.empty();
            } catch (SocketException e) {
                endOfStream = true;
                continue;
            }
            if (n < 0) {
                endOfStream = true;
                continue;
            }
            codec.writeInbound(Unpooled.copiedBuffer(readBuffer, 0, n));
        }
    }

    /** The next packet, which must be of {@code type}. */
    MqttMessage expect(MqttMessageType type) throws IOException {
        MqttMessage message = next().orElseThrow(() -> new AssertionError("expected " + type + ", got nothing within 5 s"));
        assertThat(message.fixedHeader().messageType()).as("packet type").isEqualTo(type);
        return message;
    }

    /** The reason code of the DISCONNECT the broker sends next (failing if it sends something else). */
    int disconnectReason() throws IOException {
        MqttMessage disconnect = expect(MqttMessageType.DISCONNECT);
        return ((MqttReasonCodeAndPropertiesVariableHeader) disconnect.variableHeader()).reasonCode() & 0xFF;
    }

    /** True when the broker closed the connection (after whatever it sent) within 5 s. */
    boolean closedByServer() throws IOException {
        while (next().isPresent()) {
            // skip what the broker said before closing
        }
        return endOfStream;
    }

    /** Decoded PUBLISH payloads live in pooled buffers: copy them to the heap so tests need not release them. */
    private static MqttMessage detached(MqttMessage message) {
        if (message instanceof MqttPublishMessage publish) {
            try {
                return new MqttPublishMessage(publish.fixedHeader(), publish.variableHeader(),
                        Unpooled.wrappedBuffer(ByteBufUtil.getBytes(publish.content())));
            } finally {
                publish.release();
            }
        }
        return message;
    }

    @Override
    public void close() throws IOException {
        codec.finishAndReleaseAll();
        socket.close();
    }
}
