package io.rampart.bench.mqtt;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs every workload in its --quick size against the plain Mosquitto the machine runs on 127.0.0.1:1883 (skipped
 * when none answers), to test the generator itself: the counts it reports must add up.
 */
class WorkloadsAgainstLocalMosquittoTest {
    static final Scale QUICK = Scale.quick();
    static Target mosquitto;
    static String runId;

    @BeforeAll
    static void probe() {
        boolean reachable;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 1883), 500);
            reachable = true;
        } catch (IOException e) {
            reachable = false;
        }
        assumeTrue(reachable, "no MQTT broker on 127.0.0.1:1883");
        mosquitto = new ExternalTarget("Mosquitto", new Endpoint("127.0.0.1", 1883, Optional.empty()),
                new MemoryGauge.Unknown("not started by the test"));
        byte[] id = new byte[3];
        new SecureRandom().nextBytes(id);
        runId = "t" + HexFormat.of().formatHex(id);
    }

    @Test
    void fanInDeliversEveryPublisherMessageOnceToTheSubscriber() throws InterruptedException {
        WorkloadResult result = Workload.FAN_IN.run(mosquitto, QUICK, runId);

        assertThat(result.problem()).isEmpty();
        assertThat(result.counts().expected()).isEqualTo(8L * QUICK.fanInMessagesPerPublisher());
        assertThat(result.counts().duplicates()).isZero();
        // QoS 0 may drop, but on loopback with a credit window a healthy broker loses next to nothing.
        assertThat(result.counts().received()).isBetween(result.counts().expected() * 9 / 10, result.counts().expected());
        assertThat(result.measure("received msgs/s").orElseThrow().value()).isPositive();
    }

    @Test
    void fanOutCountsADeliveryPerSubscriberPerMessage() throws InterruptedException {
        WorkloadResult result = Workload.FAN_OUT.run(mosquitto, QUICK, runId);

        assertThat(result.problem()).isEmpty();
        assertThat(result.counts().expected()).isEqualTo(100L * QUICK.fanOutMessages());
        assertThat(result.counts().duplicates()).isZero();
        assertThat(result.counts().received()).isBetween(result.counts().expected() * 9 / 10, result.counts().expected());
        assertThat(result.measure("deliveries/s").orElseThrow().value()).isPositive();
    }

    @Test
    void persistentQos1ReceivesEveryAcknowledgedMessage() throws InterruptedException {
        WorkloadResult result = Workload.QOS1.run(mosquitto, QUICK, runId);

        assertThat(result.problem()).isEmpty();
        assertThat(result.counts().expected()).isEqualTo(4L * QUICK.qos1MessagesPerPublisher());
        assertThat(result.counts().received()).isEqualTo(result.counts().expected());
        assertThat(result.measure("acknowledged msgs/s").orElseThrow().value()).isPositive();
        assertThat(result.measure("received msgs/s").orElseThrow().value()).isPositive();
    }

    @Test
    void latencyRecordsPercentilesAndLosesNoQos1Message() throws InterruptedException {
        WorkloadResult result = Workload.LATENCY.run(mosquitto, QUICK, runId);

        assertThat(result.problem()).isEmpty();
        long perPhase = (QUICK.latencyWarmup().toMillis() + QUICK.latencyDuration().toMillis()) * QUICK.latencyRate() / 1000;
        assertThat(result.counts().expected()).isEqualTo(2 * perPhase);
        for (String qos : new String[] {"QoS 0", "QoS 1"}) {
            double p50 = result.measure(qos + " p50 ms").orElseThrow().value();
            double p99 = result.measure(qos + " p99 ms").orElseThrow().value();
            assertThat(p50).isPositive();
            assertThat(p99).isGreaterThanOrEqualTo(p50);
        }
    }

    @Test
    void connectRateCountsEveryEstablishedConnection() throws InterruptedException {
        WorkloadResult result = Workload.CONNECT.run(mosquitto, QUICK, runId);

        assertThat(result.problem()).isEmpty();
        assertThat(result.counts().expected()).isEqualTo(QUICK.tlsConnections());
        assertThat(result.counts().received()).isEqualTo(QUICK.tlsConnections());
        assertThat(result.measure("connections/s").orElseThrow().value()).isPositive();
    }

    @Test
    void idleHoldsEveryConnectionAndMeasuresOnlyWhatItCan() throws InterruptedException {
        WorkloadResult result = Workload.IDLE.run(mosquitto, QUICK, runId);

        assertThat(result.problem()).isEmpty();
        assertThat(result.measure("connections held").orElseThrow().value()).isEqualTo(QUICK.idleConnections());
        // The test did not start this Mosquitto: no broker figure, only the clients' own.
        assertThat(result.measure(Connections.BROKER_KIB)).isEmpty();
        assertThat(result.measure(Connections.CLIENT_KIB)).isPresent();
    }
}
