package io.rampart.api;

import io.rampart.messaging.ConnectionListener;
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

/** The API test node's MessageBus: records what the data plane publishes (no MQTT gateway in API tests). */
public final class RecordingBus implements MessageBus {
    private final List<Message> published = new CopyOnWriteArrayList<>();

    @Override
    public CompletionStage<Void> publish(Origin.Service service, Message message) {
        published.add(message);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Registration subscribe(TopicFilter filter, QoS qos, MessageListener listener) {
        throw new IllegalStateException("API tests do not subscribe");
    }

    @Override
    public Registration handleReserved(TopicFilter filter, ReservedTopicHandler handler) {
        throw new IllegalStateException("API tests do not serve reserved topics");
    }

    @Override
    public Registration onConnectionEvent(ConnectionListener listener) {
        throw new IllegalStateException("API tests do not observe connections");
    }

    @Override
    public Registration onSecurityEvent(SecurityListener listener) {
        throw new IllegalStateException("API tests do not observe security events");
    }

    /** Everything published since the last call, and forgets it. */
    public List<Message> drain() {
        List<Message> copy = List.copyOf(published);
        published.removeAll(copy);
        return copy;
    }
}
