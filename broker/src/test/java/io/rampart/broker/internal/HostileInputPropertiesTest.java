package io.rampart.broker.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.util.ReferenceCountUtil;
import io.rampart.broker.BrokerConfig;
import io.rampart.broker.Principal;
import io.rampart.broker.gateway.LeakWatch;
import io.rampart.common.AwsScope;
import io.rampart.pki.CertificateAuthority;
import io.rampart.pki.KeyAlgorithm;
import io.rampart.policy.Decision;
import io.rampart.policy.StatementMatch;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random and mutated packets through the real decoder and connection state machine: whatever arrives, the handler
 * neither throws nor leaks a buffer, and it either keeps the connection or closes it (never hangs half-open with
 * an exception pending).
 */
class HostileInputPropertiesTest {
    private static DefaultEventLoopGroup timers;
    private static BrokerCore core;

    @BeforeContainer
    static void start() {
        timers = new DefaultEventLoopGroup(1);
        CertificateAuthority ca = CertificateAuthority.inMemory(KeyAlgorithm.EC_P256, "Fuzz CA", Clock.systemUTC(), new SecureRandom());
        BrokerConfig config = BrokerConfig.of(AwsScope.defaults(), new BrokerConfig.TlsListener("127.0.0.1", 0,
                ca.issueServerCertificate(List.of("localhost"), List.of("127.0.0.1"), KeyAlgorithm.EC_P256)));
        Decision allow = new Decision.Allowed(List.of(new StatementMatch("fuzz", 0)));
        // Runs authorization inline: the completion still hops back through the channel's executor.
        core = new BrokerCore(config, query -> allow, Runnable::run, Clock.systemUTC(), new BrokerCounters(), timers);
    }

    @AfterContainer
    static void stop() {
        timers.shutdownGracefully().syncUninterruptibly();
        LeakWatch.assertNoLeaks();
    }

    private static EmbeddedChannel channel() {
        return new EmbeddedChannel(
                new MqttDecoder(core.limits.maxPacketBytes(), core.limits.maxClientIdBytes()),
                MqttEncoder.INSTANCE,
                new MqttConnection(core, new Principal.ListenerPolicy("fuzz")));
    }

    private static void feed(EmbeddedChannel channel, byte[]... chunks) {
        for (byte[] chunk : chunks) {
            if (!channel.isOpen()) {
                break;
            }
            channel.writeInbound(Unpooled.wrappedBuffer(chunk));
            channel.runPendingTasks();
        }
        channel.checkException();
        Object out;
        while ((out = channel.readOutbound()) != null) {
            ReferenceCountUtil.release(out);
        }
        while ((out = channel.readInbound()) != null) {
            ReferenceCountUtil.release(out);
        }
        channel.finishAndReleaseAll();
    }

    @Property(tries = 200)
    void randomBytesBeforeConnectNeverBreakTheHandler(@ForAll("noise") byte[] noise) {
        feed(channel(), noise);
    }

    @Property(tries = 200)
    void randomBytesAfterConnectNeverBreakTheHandler(@ForAll("noise") byte[] noise) {
        feed(channel(), connect(uniqueId()), noise);
    }

    @Property(tries = 300)
    void mutatedValidPacketsNeverBreakTheHandler(@ForAll("validPacket") byte[] packet, @ForAll("positions") List<Integer> positions,
                                                 @ForAll byte value) {
        byte[] mutated = packet.clone();
        for (int position : positions) {
            mutated[position % mutated.length] ^= value == 0 ? 1 : value;
        }
        feed(channel(), connect(uniqueId()), mutated, packet);
    }

    @Property(tries = 50)
    void aValidSessionSurvivesWellFormedTraffic(@ForAll("validPacket") byte[] packet) {
        EmbeddedChannel channel = channel();
        channel.writeInbound(Unpooled.wrappedBuffer(connect(uniqueId())));
        channel.runPendingTasks();
        channel.writeInbound(Unpooled.wrappedBuffer(packet));
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        feed(channel);
    }

    @Provide
    Arbitrary<byte[]> noise() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(300);
    }

    @Provide
    Arbitrary<List<Integer>> positions() {
        return Arbitraries.integers().between(0, 10_000).list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<byte[]> validPacket() {
        return Arbitraries.of(
                publish("a/b", 0, 0, "x"),
                publish("a/b", 1, 7, "payload"),
                publish("sensors/1/temp", 2, 9, "21.5"),
                subscribe(3, "a/+/c", 1),
                subscribe(4, "$share/g/a/#", 2),
                unsubscribe(5, "a/+/c"),
                new byte[]{(byte) 0xC0, 0x00},        // PINGREQ
                new byte[]{0x62, 0x02, 0x00, 0x09});  // PUBREL 9
    }

    /** Fresh client ids: the broker admits one CONNECT per client id per second. */
    private static String uniqueId() {
        return "fuzz-" + java.util.UUID.randomUUID();
    }

    static byte[] connect(String clientId) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, "MQTT");
        body.write(4);
        body.write(0x02);
        body.write(0);
        body.write(60);
        string(body, clientId);
        return packet(0x10, body.toByteArray());
    }

    private static byte[] publish(String topic, int qos, int packetId, String payload) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, topic);
        if (qos > 0) {
            body.write(packetId >> 8);
            body.write(packetId);
        }
        body.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
        return packet(0x30 | qos << 1, body.toByteArray());
    }

    private static byte[] subscribe(int packetId, String filter, int qos) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(packetId >> 8);
        body.write(packetId);
        string(body, filter);
        body.write(qos);
        return packet(0x82, body.toByteArray());
    }

    private static byte[] unsubscribe(int packetId, String filter) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(packetId >> 8);
        body.write(packetId);
        string(body, filter);
        return packet(0xA2, body.toByteArray());
    }

    private static byte[] packet(int first, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(first);
        int length = body.length;
        do {
            int digit = length % 128;
            length /= 128;
            out.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static void string(ByteArrayOutputStream out, String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.write(utf8.length >> 8);
        out.write(utf8.length);
        out.writeBytes(utf8);
    }
}
