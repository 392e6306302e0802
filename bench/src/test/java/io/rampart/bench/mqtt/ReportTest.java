package io.rampart.bench.mqtt;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ReportTest {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final Report report = new Report(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    static Target target(String name, MemoryGauge memory) {
        return new ExternalTarget(name, new Endpoint("127.0.0.1", 1, Optional.empty()), memory);
    }

    static Report.Outcome done(Optional<String> problem, Measure... measures) {
        return new Report.Outcome.Done(new WorkloadResult(List.of(measures), new WorkloadResult.Counts(10, 10, 0), problem));
    }

    String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void throughputRatioIsRampartOverMosquittoAndLatencyRatioIsMosquittoOverRampart() {
        report.target(target("Mosquitto", new MemoryGauge.ProcessRss(1)));
        report.target(target("Rampart", new MemoryGauge.ThisJvm()));
        report.record(Workload.FAN_IN, "Mosquitto", done(Optional.empty(), new Measure("received msgs/s", 1000, true)));
        report.record(Workload.FAN_IN, "Rampart", done(Optional.empty(), new Measure("received msgs/s", 1500, true)));
        report.record(Workload.LATENCY, "Mosquitto", done(Optional.empty(), new Measure("QoS 0 p99 ms", 2, false)));
        report.record(Workload.LATENCY, "Rampart", done(Optional.empty(), new Measure("QoS 0 p99 ms", 4, false)));

        report.printTable(Workload.FAN_IN);
        report.printTable(Workload.LATENCY);

        assertThat(printed()).containsPattern("received msgs/s +1,000 +1,500 +1\\.50")
                .containsPattern("QoS 0 p99 ms +2\\.00 +4\\.00 +0\\.50");
        assertThat(report.allConsistent()).isTrue();
    }

    @Test
    void inProcessBrokerMemoryIsTheJvmFigureMinusTheClientsOwnCost() {
        report.target(target("Mosquitto", new MemoryGauge.ProcessRss(1)));
        report.target(target("Rampart", new MemoryGauge.ThisJvm()));
        report.record(Workload.IDLE, "Mosquitto", done(Optional.empty(),
                new Measure(Connections.BROKER_KIB, 20, false), new Measure(Connections.CLIENT_KIB, 50, false)));
        report.record(Workload.IDLE, "Rampart", done(Optional.empty(), new Measure(Connections.CLIENT_KIB, 60, false)));

        report.printTable(Workload.IDLE);

        // Rampart's broker share: 60 - 50 = 10 KiB against Mosquitto's 20: ratio 20/10.
        assertThat(printed()).containsPattern("broker KiB/connection +20\\.00 +10\\.00 +2\\.00")
                .contains("minus the bench clients' own cost measured the same way against Mosquitto");
    }

    @Test
    void anInconsistentOrFailedWorkloadIsFlagged() {
        report.record(Workload.QOS1, "Mosquitto", done(Optional.of("QoS 1: received 9 of 10")));
        report.record(Workload.QOS1, "Rampart", new Report.Outcome.Failed("IllegalStateException: refused"));

        report.printTable(Workload.QOS1);

        assertThat(report.allConsistent()).isFalse();
        assertThat(printed()).contains("** INCONSISTENT: QoS 1: received 9 of 10").contains("** FAILED: IllegalStateException");
    }
}
