package io.rampart.broker.gateway;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts Netty's LEAK reports (logged by ResourceLeakDetector at ERROR). Logback instantiates it from
 * logback-test.xml, so the count lives in a static field: the one place tests share state, on purpose.
 */
public final class LeakWatch extends AppenderBase<ILoggingEvent> {
    private static final AtomicInteger LEAKS = new AtomicInteger();

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getFormattedMessage().contains("LEAK")) {
            LEAKS.incrementAndGet();
        }
    }

    /** Leak reports so far in this JVM. */
    static int leaks() {
        return LEAKS.get();
    }

    /** Provokes leak reporting (GC, then pooled allocations the detector samples) and fails if any LEAK was logged. */
    public static void assertNoLeaks() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            for (int j = 0; j < 64; j++) {
                io.netty.buffer.ByteBuf buf = io.netty.buffer.PooledByteBufAllocator.DEFAULT.buffer(64);
                buf.release();
            }
        }
        org.assertj.core.api.Assertions.assertThat(leaks()).as("Netty LEAK reports").isZero();
    }
}
