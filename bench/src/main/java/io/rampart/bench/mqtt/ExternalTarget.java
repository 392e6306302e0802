package io.rampart.bench.mqtt;

/**
 * A broker this tool did not start ({@code --target host:port}, e.g. a running {@code rampart server} node, or the
 * plain Mosquitto on 127.0.0.1:1883 in tests). Nothing to stop; memory only when its PID is given.
 */
record ExternalTarget(String name, Endpoint endpoint, MemoryGauge memory) implements Target {

    @Override
    public String description() {
        return "external broker at " + endpoint + "; memory: " + memory.method();
    }

    @Override
    public void close() {
        // Not ours to stop.
    }
}
