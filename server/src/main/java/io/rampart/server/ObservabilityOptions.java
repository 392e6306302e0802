package io.rampart.server;

/**
 * What the node tells about itself beyond its logs.
 *
 * @param metrics whether the node keeps meters and serves them at {@code GET /rampart/metrics} on the API port
 *                ({@code --metrics on|off}); on by default
 */
public record ObservabilityOptions(boolean metrics) {
    /** Metrics on. */
    public static ObservabilityOptions defaults() {
        return new ObservabilityOptions(true);
    }
}
