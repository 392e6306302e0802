package io.rampart.broker.store;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds of the group committer that makes broker state durable.
 *
 * @param maxBatch      the most writes committed in one transaction; bounds the latency one commit adds to the
 *                      writes queued behind it
 * @param maxDelay      how long the committer may wait for more writes before committing a batch smaller than
 *                      {@code maxBatch}; zero commits at once (batches still form while the previous commit's
 *                      fsync runs, which is where group commit gets its throughput)
 * @param queueCapacity the most writes waiting; beyond it writes fail at once with THROTTLING (back-pressure
 *                      instead of unbounded memory)
 */
public record CommitSettings(int maxBatch, Duration maxDelay, int queueCapacity) {
    /** 512 writes per transaction, no lingering, 65,536 queued writes. */
    public static final CommitSettings DEFAULTS = new CommitSettings(512, Duration.ZERO, 65_536);

    public CommitSettings {
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        }
        if (maxDelay.isNegative()) {
            throw new IllegalArgumentException("maxDelay must not be negative, got " + maxDelay);
        }
        if (queueCapacity < maxBatch) {
            throw new IllegalArgumentException("queueCapacity (" + queueCapacity + ") must be >= maxBatch (" + maxBatch + ")");
        }
    }
}
