package io.rampart.bench.mqtt;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The workloads, each run the same way against every target, in this order (whatever order they are asked for in).
 * Idle connections come first: the memory a broker process has freed stays in its RSS, so measuring after the other
 * workloads would understate what new connections cost.
 */
enum Workload {
    IDLE("idle", "Idle TLS connections held, and broker memory per connection"),
    CONNECT("connect", "TLS connections established per second (handshake with client certificate + CONNECT/CONNACK)"),
    FAN_IN("fan-in", "QoS 0 fan-in: 8 publishers -> 1 subscriber, 64-byte payloads"),
    FAN_OUT("fan-out", "QoS 0 fan-out: 1 publisher -> 100 subscribers, 64-byte payloads"),
    QOS1("qos1", "QoS 1, persistent sessions (clean start false, expiry 600 s): 4 publishers -> 1 subscriber"),
    LATENCY("latency", "End-to-end latency, 1 publisher -> 1 subscriber at a fixed rate");

    private final String cliName;
    private final String title;

    Workload(String cliName, String title) {
        this.cliName = cliName;
        this.title = title;
    }

    /** The name {@code --workload} takes. */
    String cliName() {
        return cliName;
    }

    String title() {
        return title;
    }

    /** Runs this workload once against {@code target}; {@code runId} keeps client ids and topics apart between runs. */
    WorkloadResult run(Target target, Scale scale, String runId) throws InterruptedException {
        Endpoint endpoint = target.endpoint();
        String name = runId + "-" + cliName.replace("-", "") + "-" + target.name().toLowerCase(java.util.Locale.ROOT);
        return switch (this) {
            case FAN_IN -> Throughput.fanIn(scale).run(endpoint, name, scale.maxDuration());
            case FAN_OUT -> Throughput.fanOut(scale).run(endpoint, name, scale.maxDuration());
            case QOS1 -> Throughput.persistentQos1(scale).run(endpoint, name, scale.maxDuration());
            case LATENCY -> Latency.of(scale).run(endpoint, name);
            case CONNECT -> Connections.connectRate(endpoint, name, scale.tlsConnections());
            case IDLE -> Connections.idle(endpoint, target.memory(), name, scale.idleConnections(), scale.settle());
        };
    }

    /** The workload called {@code name} on the command line. */
    static Workload named(String name) {
        return Arrays.stream(values()).filter(w -> w.cliName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown workload '" + name + "'; known: "
                        + Arrays.stream(values()).map(Workload::cliName).collect(Collectors.joining(", "))));
    }
}
