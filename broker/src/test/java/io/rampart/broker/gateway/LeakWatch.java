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
}
