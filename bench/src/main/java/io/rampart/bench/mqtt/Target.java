package io.rampart.bench.mqtt;

/** A broker the workloads run against. Closing it stops what the bench started (nothing for external brokers). */
interface Target extends AutoCloseable {

    /** "Mosquitto" or "Rampart". */
    String name();

    /** One line about what runs: version, transport, TLS provider, where. */
    String description();

    Endpoint endpoint();

    /** How the broker's memory is read for the idle-connections workload. */
    MemoryGauge memory();

    @Override
    void close();
}
