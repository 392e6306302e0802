package io.rampart.messaging;

/** Observes connection events (lifecycle publishing, Device Defender metrics, fleet indexing of connectivity). */
@FunctionalInterface
public interface ConnectionListener {
    /** Called off the network event loop in the order events happened for one client id; must not block for long. */
    void onEvent(ConnectionEvent event);
}
