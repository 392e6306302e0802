package io.rampart.bench.mqtt;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Keeps publishers at most {@code size} messages ahead of what subscribers received, so a throughput figure is the
 * rate the broker delivers in a steady state, not how fast it can buffer (and neither broker's queue limit is hit).
 * At QoS 0 a message may be dropped: when no credit comes back within {@code grace}, the messages outstanding are
 * written off as lost and the window opens again (credits of messages that arrive later still come back, so the
 * window can briefly exceed its size, by at most that size). At QoS 1 nothing may be lost: the publisher gives up.
 */
final class CreditWindow {
    private final int size;
    private final Semaphore credits;
    private final Duration grace;
    private final boolean lossAllowed;

    CreditWindow(int size, Duration grace, boolean lossAllowed) {
        this.size = size;
        this.credits = new Semaphore(size);
        this.grace = grace;
        this.lossAllowed = lossAllowed;
    }

    /** Waits for a credit; false means "stop publishing" (no credit within the grace time at QoS 1). */
    boolean acquire() throws InterruptedException {
        if (credits.tryAcquire(grace.toNanos(), TimeUnit.NANOSECONDS)) {
            return true;
        }
        if (!lossAllowed) {
            return false;
        }
        credits.drainPermits();
        credits.release(size - 1);
        return true;
    }

    /** One message arrived at its subscriber(s). */
    void release() {
        credits.release();
    }
}
