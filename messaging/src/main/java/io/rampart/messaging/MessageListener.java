package io.rampart.messaging;

/** Receives messages matching a service's subscription on the {@link MessageBus}. */
@FunctionalInterface
public interface MessageListener {
    /** Called off the network event loop, in publish order per publisher; may block briefly. Exceptions are logged and counted. */
    void onMessage(Delivery delivery);
}
