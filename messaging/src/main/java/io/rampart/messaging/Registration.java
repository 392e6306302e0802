package io.rampart.messaging;

/** A subscription, handler or listener registered on the {@link MessageBus}; closing it removes it (idempotent). */
public interface Registration extends AutoCloseable {
    @Override
    void close();
}
