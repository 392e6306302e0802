package io.rampart.messaging;

/** Observes the gateway's security events (activity trail, Device Defender). */
@FunctionalInterface
public interface SecurityListener {
    /**
     * Called off the network event loop, one event at a time per registration, in the order the broker emitted
     * them; must not block for long: events that arrive while too many are pending are dropped and reported by a
     * later {@link SecurityEvent.EventsDropped}.
     */
    void onEvent(SecurityEvent event);
}
