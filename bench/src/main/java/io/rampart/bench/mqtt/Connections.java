package io.rampart.bench.mqtt;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Connection workloads: how fast TLS clients get in, and what holding many idle ones costs the broker. */
final class Connections {
    /** CONNECTs in flight at once while measuring the connection rate. */
    static final int CONNECT_CONCURRENCY = 16;
    /** CONNECTs in flight at once while opening the idle connections (not timed). */
    static final int IDLE_CONCURRENCY = 32;
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Name of the client-side memory figure the report uses to correct an in-process broker's figure. */
    static final String CLIENT_KIB = "bench-client JVM KiB/connection";
    static final String BROKER_KIB = "broker KiB/connection";

    private Connections() {
    }

    /**
     * Opens {@code count} connections, {@value #CONNECT_CONCURRENCY} at a time: TCP connect, TLS handshake with the
     * client certificate, MQTT CONNECT and CONNACK. Connections per second counts established ones over the whole
     * time; they are closed afterwards, outside the timing.
     */
    static WorkloadResult connectRate(Endpoint endpoint, String name, int count) {
        long start = System.nanoTime();
        try (Fleet fleet = Fleet.connect(endpoint, "bench-" + name, count, CONNECT_CONCURRENCY, Fleet.Sessions.CLEAN, TIMEOUT)) {
            long end = System.nanoTime();
            Optional<String> problem = fleet.failed() > 0
                    ? Optional.of(fleet.failed() + " of " + count + " connections failed")
                    : Optional.empty();
            return new WorkloadResult(List.of(new Measure("connections/s", Throughput.rate(fleet.connected(), start, end), true)),
                    new WorkloadResult.Counts(count, fleet.connected(), 0), problem);
        }
    }

    /**
     * Connections opened and closed before the idle measurement, so one-time costs (class loading, TLS set-up) are not
     * counted per connection. Few: memory a broker process frees stays in its RSS and would be reused unmeasured.
     */
    static final int IDLE_WARMUP = 10;

    /**
     * Holds {@code count} idle connections and reads memory before and after: the broker's ({@code broker}) and this
     * JVM's, which holds the clients (and, for the in-process gateway, the broker too). A small warm-up batch connects
     * and disconnects first.
     */
    static WorkloadResult idle(Endpoint endpoint, MemoryGauge broker, String name, int count, Duration settle)
            throws InterruptedException {
        Fleet.connect(endpoint, "bench-" + name + "-warmup", Math.min(count, IDLE_WARMUP), IDLE_CONCURRENCY,
                Fleet.Sessions.CLEAN, TIMEOUT).requireAll().close();
        MemoryGauge client = new MemoryGauge.ThisJvm();
        Optional<MemoryGauge> brokerGauge = broker.ifKnown().filter(gauge -> !(gauge instanceof MemoryGauge.ThisJvm));
        long clientBefore = client.bytes();
        long brokerBefore = brokerGauge.map(MemoryGauge::bytes).orElse(0L);
        try (Fleet fleet = Fleet.connect(endpoint, "bench-" + name, count, IDLE_CONCURRENCY, Fleet.Sessions.CLEAN, TIMEOUT)) {
            Thread.sleep(settle.toMillis());
            long clientAfter = client.bytes();
            long brokerAfter = brokerGauge.map(MemoryGauge::bytes).orElse(0L);
            int held = fleet.connected();
            List<Measure> measures = new java.util.ArrayList<>();
            measures.add(new Measure("connections held", held, true));
            if (held > 0) {
                measures.add(new Measure(CLIENT_KIB, (clientAfter - clientBefore) / 1024.0 / held, false));
                if (brokerGauge.isPresent()) {
                    measures.add(new Measure(BROKER_KIB, (brokerAfter - brokerBefore) / 1024.0 / held, false));
                }
            }
            Optional<String> problem = held < count ? Optional.of((count - held) + " of " + count + " connections failed")
                    : Optional.empty();
            return new WorkloadResult(measures, new WorkloadResult.Counts(count, held, 0), problem);
        }
    }
}
