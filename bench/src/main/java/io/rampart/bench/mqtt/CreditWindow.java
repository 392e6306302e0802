package io.rampart.bench.mqtt;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Keeps publishers at most {@code size} messages ahead of what subscribers received, so a throughput figure is the
 * rate the broker delivers in a steady state, not how fast it can buffer (and neither broker's queue limit is hit).
 * At QoS 0 a message may be dropped, so a credit that does not come back within {@code grace} is assumed lost and
 * the publisher goes on; at QoS 1 nothing may be lost, so the publisher gives up instead.
 */
final class CreditWindow {
    private final Semaphore credits;
    private final Duration grace;
    private final boolean lossAllowed;
    private final LongAdder stalls = new LongAdder();

    CreditWindow(int size, Duration grace, boolean lossAllowed) {
        this.credits = new Semaphore(size);
        this.grace = grace;
        this.lossAllowed = lossAllowed;
    }

    /** Waits for a credit; false means "stop publishing" (no credit within the grace time at QoS 1). */
    boolean acquire() throws InterruptedException {
        if (credits.tryAcquire(grace.toNanos(), TimeUnit.NANOSECONDS)) {
            return true;
        }
        stalls.increment();
        return lossAllowed;
    }

    /** One message arrived at its subscriber(s). */
    void release() {
        credits.release();
    }

    /** How many times a credit did not come back within the grace time. */
    long stalls() {
        return stalls.sum();
    }
}
