package io.rampart.shadow;

import io.rampart.messaging.ConnectionListener;
import io.rampart.messaging.Delivery;
import io.rampart.messaging.Message;
import io.rampart.messaging.MessageBus;
import io.rampart.messaging.MessageListener;
import io.rampart.messaging.Origin;
import io.rampart.messaging.QoS;
import io.rampart.messaging.Registration;
import io.rampart.messaging.ReservedTopicHandler;
import io.rampart.messaging.SecurityListener;
import io.rampart.messaging.TopicFilter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** A MessageBus that records what services publish and lets a test play a device publishing to a reserved topic. */
final class RecordingBus implements MessageBus {
    private final List<Message> published = new CopyOnWriteArrayList<>();
    private final List<ReservedTopicHandler> handlers = new CopyOnWriteArrayList<>();

    @Override
    public CompletionStage<Void> publish(Origin.Service service, Message message) {
        published.add(message);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Registration subscribe(TopicFilter filter, QoS qos, MessageListener listener) {
        throw new IllegalStateException("the shadow service never subscribes");
    }

    @Override
    public Registration handleReserved(TopicFilter filter, ReservedTopicHandler handler) {
        handlers.add(handler);
        return () -> handlers.remove(handler);
    }

    @Override
    public Registration onConnectionEvent(ConnectionListener listener) {
        throw new IllegalStateException("the shadow service never listens to connections");
    }

    @Override
    public Registration onSecurityEvent(SecurityListener listener) {
        throw new IllegalStateException("the shadow service never listens to security events");
    }

    /** Delivers {@code message} to every registered reserved-topic handler, as the broker does after authorization. */
    void deviceRequest(Delivery delivery) {
        handlers.forEach(handler -> handler.handle(delivery));
    }

    int handlerCount() {
        return handlers.size();
    }

    /** Everything published since the last call, and forgets it. */
    List<Message> drain() {
        List<Message> copy = List.copyOf(published);
        published.removeAll(copy);
        return copy;
    }
}
