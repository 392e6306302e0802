package io.rampart.broker.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.EventLoopGroup;
import io.rampart.broker.Authorizer;
import io.rampart.broker.BrokerConfig;
import io.rampart.broker.BrokerLimits;
import io.rampart.broker.SessionDepths;
import io.rampart.broker.store.BrokerStorage;
import io.rampart.broker.store.DeliveryState;
import io.rampart.broker.store.Enqueued;
import io.rampart.broker.store.InboundPacket;
import io.rampart.broker.store.QueuedDelivery;
import io.rampart.broker.store.RetainedStore;
import io.rampart.broker.store.SessionStore;
import io.rampart.broker.store.StoredSession;
import io.rampart.broker.subscriptions.Recipient;
import io.rampart.broker.subscriptions.SubscriptionIndex;
import io.rampart.common.Json;
import io.rampart.messaging.ClientConnection;
import io.rampart.messaging.ConnectionEvent;
import io.rampart.messaging.ConnectionListener;
import io.rampart.messaging.Delivery;
import io.rampart.messaging.Message;
import io.rampart.messaging.MessageListener;
import io.rampart.messaging.Origin;
import io.rampart.messaging.QoS;
import io.rampart.messaging.Registration;
import io.rampart.messaging.ReservedTopicHandler;
import io.rampart.messaging.SecurityEvent;
import io.rampart.messaging.SecurityListener;
import io.rampart.messaging.SubscriptionOptions;
import io.rampart.messaging.Topic;
import io.rampart.messaging.TopicFilter;
import io.rampart.messaging.TopicLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What all connections of one broker share: the session table, the subscription index, retained messages, the
 * services registered through the MessageBus and the counters. Thread-safe; the one instance is made by
 * {@code MqttBroker}.
 *
 * <p>Services subscribe in the same {@link SubscriptionIndex} as clients, under a key that starts with U+0000:
 * no MQTT client id can contain that character (it is refused at CONNECT), so the two never collide.
 *
 * <p>Durability: with a {@link BrokerStorage}, persistent sessions (their subscriptions, QoS 1/2 queues, in-flight
 * and inbound QoS 2 state) and retained messages are written through its group committer; the futures this class
 * returns complete once the write is committed, and the connection acknowledges (PUBACK, PUBREC, SUBACK, CONNACK)
 * only then. Memory stays the working copy: the store is read only by {@link #restore()} at start-up. Every store
 * write that must follow a session decision (open, close, delete) is submitted while holding that session's monitor,
 * so the store applies them in the order memory made them. Without storage (tests, tools) all of it is memory only.
 */
public final class BrokerCore {
    private static final Logger log = LoggerFactory.getLogger(BrokerCore.class);
    private static final char SERVICE_KEY_MARK = '\0';
    /** Per security listener: a flood of denials queues at most this many events (about a few MB) before dropping. */
    static final int MAX_PENDING_SECURITY_EVENTS = 10_000;

    final BrokerConfig config;
    final BrokerLimits limits;
    final TopicLimits topicLimits;
    final Authorizer authorizer;
    final Executor blocking;
    final Clock clock;
    final BrokerCounters counters;
    final EventLoopGroup timers;
    /** Persistent sessions on disk, or null when the broker keeps everything in memory. */
    final SessionStore store;
    private final RetainedStore retainedStore;
    private final ObjectMapper json = Json.newMapper();

    final SubscriptionIndex index = new SubscriptionIndex();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Message> retained = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastConnect = new ConcurrentHashMap<>();
    private final Set<MqttConnection> connections = ConcurrentHashMap.newKeySet();
    private final Map<String, ServiceSubscriber> serviceSubscribers = new ConcurrentHashMap<>();
    private final List<ReservedRoute> reservedRoutes = new CopyOnWriteArrayList<>();
    private final List<ConnectionObserver> connectionListeners = new CopyOnWriteArrayList<>();
    private final List<SecurityObserver> securityListeners = new CopyOnWriteArrayList<>();
    private final AtomicLong serviceKeys = new AtomicLong();
    private final AtomicLong versionNumbers = new AtomicLong();

    public BrokerCore(BrokerConfig config, Authorizer authorizer, Executor blocking, Clock clock,
                      BrokerCounters counters, EventLoopGroup timers) {
        this(config, authorizer, blocking, clock, counters, timers, null);
    }

    /** A core whose persistent sessions and retained messages are durable in {@code storage} (null: memory only). */
    public BrokerCore(BrokerConfig config, Authorizer authorizer, Executor blocking, Clock clock,
                      BrokerCounters counters, EventLoopGroup timers, BrokerStorage storage) {
        this.store = storage == null ? null : storage.sessions();
        this.retainedStore = storage == null ? null : storage.retained();
        this.config = config;
        this.limits = config.limits();
        this.topicLimits = new TopicLimits(limits.maxTopicBytes(), limits.maxTopicSlashes());
        this.authorizer = authorizer;
        this.blocking = blocking;
        this.clock = clock;
        this.counters = counters;
        this.timers = timers;
    }

    // ---- start-up -----------------------------------------------------------------------------------------

    /**
     * Rebuilds what the store holds: retained messages, persistent sessions with their subscriptions (into the
     * index), queued and in-flight messages and inbound QoS 2 packet ids. Sessions that expired while the node was
     * down are deleted first. Blocking: call it before the listeners bind.
     */
    public void restore() {
        if (store == null) {
            return;
        }
        Instant now = clock.instant();
        store.expire(now).join();
        for (Message message : retainedStore.all(now)) {
            retained.put(message.topic().value(), message);
        }
        List<StoredSession> loaded = new ArrayList<>();
        store.loadAll(loaded::add);
        int messages = 0;
        // Submitted together and waited for once: they share group commits.
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (StoredSession stored : loaded) {
            String clientId = stored.clientId();
            if (stored.expiry().isZero()) {
                // Resumed with expiry 0 and not closed before the node stopped: it ended with its connection.
                writes.add(store.delete(clientId));
                continue;
            }
            Session session = new Session(clientId, stored.expiry());
            session.stored = true;
            session.inboundQos2.addAll(stored.inboundQos2PacketIds());
            stored.subscriptions().forEach((filter, options) -> index.subscribe(clientId, filter, options));
            messages += restoreQueue(session);
            Duration untilExpiry;
            if (stored.expiresAt() == null) {
                // A connection used it when the node stopped (a crash): that connection ended now (MQTT-3.1.2-23).
                writes.add(store.close(clientId, now, stored.expiry()));
                untilExpiry = stored.expiry();
            } else {
                untilExpiry = Duration.between(now, stored.expiresAt());
            }
            synchronized (session) {
                scheduleExpiry(session, untilExpiry);
            }
            sessions.put(clientId, session);
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        log.info("restored {} persistent sessions with {} queued messages and {} retained messages from the store",
                sessions.size(), messages, retained.size());
    }

    /** Loads the queue of {@code session} in message id order (the order it was queued in); returns its length. */
    private int restoreQueue(Session session) {
        int count = 0;
        long after = 0;
        List<QueuedDelivery> page;
        while (!(page = store.pending(session.clientId, after, 1_000)).isEmpty()) {
            for (QueuedDelivery delivery : page) {
                Outbound outbound = new Outbound(delivery.message(), delivery.subscriptionIdentifiers(), delivery.messageId());
                if (delivery.state() == DeliveryState.QUEUED) {
                    session.queue.add(outbound);
                } else {
                    // Sent with a durable packet id: resent with DUP=1 (or PUBREL) and that id on reconnect (MQTT-4.4.0-1).
                    Session.InFlight inFlight = new Session.InFlight(outbound);
                    inFlight.released = delivery.state() == DeliveryState.RELEASED;
                    session.inFlight.put(delivery.packetId(), inFlight);
                }
                count++;
            }
            after = page.getLast().messageId();
        }
        return count;
    }

    // ---- connections and sessions -------------------------------------------------------------------------

    void register(MqttConnection connection) {
        connections.add(connection);
    }

    void unregister(MqttConnection connection) {
        connections.remove(connection);
    }

    /** How many connections are open (TLS or plain, before and after CONNECT). */
    public int connectionCount() {
        return connections.size();
    }

    /** Sessions, queued and in-flight messages, summed session by session (each read under its monitor). */
    public SessionDepths sessionDepths() {
        int count = 0;
        long queued = 0;
        long inFlight = 0;
        for (Session session : sessions.values()) {
            synchronized (session) {
                queued += session.queue.size();
                inFlight += session.inFlight.size();
            }
            count++;
        }
        return new SessionDepths(count, queued, inFlight);
    }

    /** Every live connection (revocation, cache invalidation). */
    public Iterable<MqttConnection> connections() {
        return connections;
    }

    /**
     * Whether {@code clientId} may CONNECT now (AWS: one CONNECT per client id per second); records the attempt.
     */
    boolean admitConnect(String clientId, Instant now) {
        Duration interval = limits.minConnectInterval();
        boolean[] admitted = {true};
        lastConnect.compute(clientId, (id, last) -> {
            if (last != null && now.isBefore(last.plus(interval))) {
                admitted[0] = false;
                return last;
            }
            return now;
        });
        if (lastConnect.size() > 100_000) {
            Instant horizon = now.minus(interval);
            lastConnect.values().removeIf(t -> t.isBefore(horizon));
        }
        return admitted[0];
    }

    /**
     * Attaches {@code connection} to the session of its client id, taking it over from any other connection,
     * which is closed with "session taken over" (MQTT-3.1.4-3). With {@code cleanStart} the old session is
     * discarded (MQTT-3.1.2-4). Returns the session, whether it existed (CONNACK session present) and when the
     * store has recorded the CONNECT (send CONNACK only then).
     */
    synchronized Attached attach(MqttConnection connection, String clientId, boolean cleanStart, Duration expiry) {
        // Synchronized: two CONNECTs of one client id (possible when the connect interval is configured to zero)
        // must not both attach; lock order is this, then a session's monitor.
        Session[] previous = {null};
        Session session = sessions.compute(clientId, (id, old) -> {
            previous[0] = old;
            if (old == null || cleanStart) {
                return new Session(id, expiry);
            }
            return old;
        });
        Session old = previous[0];
        MqttConnection displaced = null;
        if (old != null) {
            synchronized (old) {
                displaced = old.connection;
                old.connection = null;
                if (old.expiryTask != null) {
                    old.expiryTask.cancel(false);
                    old.expiryTask = null;
                }
                if (old.pendingWill != null) {
                    // MQTT-3.1.3-9: a will whose delay has not passed is not sent when the session is resumed.
                    old.pendingWill.cancel(false);
                    old.pendingWill = null;
                }
                if (old != session) {
                    old.discarded = true;
                }
            }
            if (old != session) {
                index.unsubscribeAll(clientId);
            }
        }
        if (displaced != null) {
            displaced.takenOver();
            // Both identities are set before their connection attaches; the session monitors order those writes.
            security(new SecurityEvent.SessionTakenOver(clock.instant(), displaced.identity(), connection.identity()));
        }
        boolean present = old != null && old == session;
        CompletableFuture<?> durable = CompletableFuture.completedFuture(null);
        synchronized (session) {
            session.connection = connection;
            session.expiry = expiry;
            if (store != null && (!expiry.isZero() || old != null && old.stored)) {
                boolean wasStored = session.stored;
                durable = store.open(clientId, cleanStart, expiry);
                session.stored = !expiry.isZero() || present && wasStored;
                if (session.stored && !wasStored) {
                    // A memory-only session resumed as a persistent one: what it subscribed to becomes durable too.
                    List<CompletableFuture<Void>> writes = new ArrayList<>();
                    index.subscriptionsOf(clientId).forEach((filter, options) -> writes.add(store.subscribe(clientId, filter, options)));
                    writes.add(durable.thenApply(opened -> null));
                    durable = CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
                }
            }
        }
        return new Attached(session, present, durable);
    }

    record Attached(Session session, boolean present, CompletableFuture<?> durable) {
    }

    /** The connection of {@code session} ended; a non-persistent session ends with it, a persistent one expires later. */
    void detach(Session session, MqttConnection connection) {
        synchronized (session) {
            if (session.connection != connection) {
                return;
            }
            session.connection = null;
            if (session.stored) {
                // An expiry of 0 (set at DISCONNECT, or a stored session resumed with 0) deletes it in the store.
                logFailure(store.close(session.clientId, clock.instant(), session.expiry), "close the session of", session.clientId);
                session.stored = !session.expiry.isZero();
            }
            if (session.persistent()) {
                scheduleExpiry(session, session.expiry);
                return;
            }
        }
        expire(session);
    }

    /** Ends {@code session} after {@code delay} unless resumed first; none for the "never" expiry. Hold its monitor. */
    private void scheduleExpiry(Session session, Duration delay) {
        if (session.expiry.toSeconds() >= 0xFFFF_FFFFL) {
            return;
        }
        session.expiryTask = timers.schedule(() -> expire(session), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    }

    private void expire(Session session) {
        // The broker lock orders this against attach(): a session is resumed or expired, in memory and in the store.
        synchronized (this) {
            synchronized (session) {
                if (session.connection != null || session.discarded) {
                    return;
                }
                session.discarded = true;
                session.queue.clear();
                session.inFlight.clear();
                if (session.stored) {
                    session.stored = false;
                    logFailure(store.delete(session.clientId), "delete the expired session of", session.clientId);
                }
            }
            if (sessions.remove(session.clientId, session)) {
                index.unsubscribeAll(session.clientId);
            }
        }
    }

    static void logFailure(CompletableFuture<?> write, String what, String clientId) {
        write.whenComplete((ignored, failure) -> {
            if (failure != null) {
                log.warn("the broker store could not {} client {}: {}", what, clientId, failure.getMessage());
            }
        });
    }

    // ---- routing ------------------------------------------------------------------------------------------

    /** As {@link #route(Message, Origin, String, InboundPacket)} without an inbound QoS 2 packet to record. */
    public CompletableFuture<Void> route(Message message, Origin origin, String publisherClientId) {
        return route(message, origin, publisherClientId, null);
    }

    /**
     * Routes an authorized message: reserved-topic services, then every matching subscriber (clients and services).
     * Retained messages are stored first (MQTT-3.3.1-5). The future completes when the message is durable in the
     * store for every persistent session it is queued for (QoS 1/2), the retained message is durable and so is
     * {@code inbound} (a QoS 2 packet id of a persistent-session publisher): acknowledge the publisher only then.
     * Without storage, or when nothing needs storing, it is already complete.
     */
    public CompletableFuture<Void> route(Message message, Origin origin, String publisherClientId, InboundPacket inbound) {
        CompletableFuture<Void> retainedDurable = null;
        if (message.retain()) {
            if (message.payload().length == 0) {
                retained.remove(message.topic().value());
            } else {
                retained.put(message.topic().value(), message);
            }
            if (retainedStore != null) {
                retainedDurable = retainedStore.retain(message);
            }
        }
        for (ReservedRoute route : reservedRoutes) {
            if (route.filter.matches(message.topic())) {
                Delivery delivery = new Delivery(message, origin);
                runOn(route.executor, () -> route.handler.handle(delivery), "reserved-topic handler for " + route.filter);
            }
        }
        List<Recipient> recipients = index.match(message.topic(), publisherClientId, this::online);
        List<StoredTarget> storedTargets = null;
        for (Recipient recipient : recipients) {
            String key = recipient.clientId();
            if (key.charAt(0) == SERVICE_KEY_MARK) {
                ServiceSubscriber subscriber = serviceSubscribers.get(key);
                if (subscriber != null) {
                    Delivery delivery = new Delivery(message.withQos(message.qos().min(recipient.qos())), origin);
                    runOn(subscriber.executor, () -> subscriber.listener.onMessage(delivery), "service subscriber " + key);
                }
                continue;
            }
            Session session = sessions.get(key);
            if (session == null) {
                continue;
            }
            Message delivered = message.withQos(message.qos().min(recipient.qos()))
                    .withRetain(recipient.retainAsPublished() && message.retain());
            if (session.stored && delivered.qos() != QoS.AT_MOST_ONCE) {
                if (storedTargets == null) {
                    storedTargets = new ArrayList<>();
                }
                storedTargets.add(new StoredTarget(session, recipient, delivered));
                continue;
            }
            offer(session, new Outbound(delivered, recipient.subscriptionIdentifiers()));
        }
        CompletableFuture<Void> queuedDurable = null;
        if (store != null && (storedTargets != null || inbound != null)) {
            queuedDurable = enqueue(message, storedTargets == null ? List.of() : storedTargets, inbound);
        }
        if (queuedDurable == null) {
            return retainedDurable == null ? CompletableFuture.completedFuture(null) : retainedDurable;
        }
        return retainedDurable == null ? queuedDurable : CompletableFuture.allOf(queuedDurable, retainedDurable);
    }

    private record StoredTarget(Session session, Recipient recipient, Message delivered) {
    }

    /**
     * Queues {@code message} durably for the persistent sessions among {@code targets} that can take it now and in
     * memory with its store id; the store write is submitted before the in-memory offer, so the subscriber's
     * acknowledgement (submitted later) is always applied after it.
     */
    private CompletableFuture<Void> enqueue(Message message, List<StoredTarget> targets, InboundPacket inbound) {
        List<Recipient> durable = new ArrayList<>(targets.size());
        List<StoredTarget> accepted = new ArrayList<>(targets.size());
        for (StoredTarget target : targets) {
            if (accepts(target.session)) {
                durable.add(target.recipient);
                accepted.add(target);
            } else {
                counters.messagesDropped.increment();
            }
        }
        Enqueued enqueued = store.enqueue(message, durable, inbound);
        for (StoredTarget target : accepted) {
            offer(target.session, new Outbound(target.delivered, target.recipient.subscriptionIdentifiers(), enqueued.messageId()));
        }
        return enqueued.durable();
    }

    /** Whether {@code session} can queue one more QoS 1/2 message (so it is not stored only to be dropped). */
    private boolean accepts(Session session) {
        synchronized (session) {
            return !session.discarded && session.queue.size() < limits.maxQueuedMessages();
        }
    }

    /** Queues {@code outbound} for {@code session} and wakes its connection; drops what an offline session cannot keep. */
    void offer(Session session, Outbound outbound) {
        MqttConnection connection;
        synchronized (session) {
            connection = session.connection;
            if (session.discarded || connection == null && (outbound.message().qos() == QoS.AT_MOST_ONCE || !session.persistent())) {
                // QoS 0 messages are not queued for offline clients (MQTT 5 §3.1.2.4 allows either; AWS does not).
                counters.messagesDropped.increment();
                return;
            }
            if (session.queue.size() >= limits.maxQueuedMessages()) {
                counters.messagesDropped.increment();
                log.debug("queue of client {} is full ({} messages); dropping a message on {}", session.clientId,
                        session.queue.size(), outbound.message().topic());
                return;
            }
            session.queue.add(outbound);
        }
        if (connection != null) {
            connection.wakeUp();
        }
    }

    private boolean online(String key) {
        if (key.charAt(0) == SERVICE_KEY_MARK) {
            return true;
        }
        Session session = sessions.get(key);
        if (session == null) {
            return false;
        }
        synchronized (session) {
            return session.connection != null;
        }
    }

    /** The retained messages matching {@code filter}, unexpired at {@code now}. */
    List<Message> retainedMatching(TopicFilter filter, Instant now) {
        List<Message> result = new ArrayList<>();
        for (Message message : retained.values()) {
            if (!message.isExpired(now) && filter.matches(message.topic())) {
                result.add(message);
            }
        }
        return result;
    }

    /** Whether a device may publish to the reserved {@code topic}: only where a service listens (AWS behaviour). */
    boolean reservedTopicServed(Topic topic) {
        for (ReservedRoute route : reservedRoutes) {
            if (route.filter.matches(topic)) {
                return true;
            }
        }
        return false;
    }

    // ---- services (MessageBus) ----------------------------------------------------------------------------

    public Registration subscribeService(TopicFilter filter, QoS qos, MessageListener listener) {
        String key = SERVICE_KEY_MARK + "service-" + serviceKeys.incrementAndGet();
        serviceSubscribers.put(key, new ServiceSubscriber(listener, new SerialExecutor(blocking, "service subscriber " + filter)));
        index.subscribe(key, filter, SubscriptionOptions.of(qos));
        return () -> {
            index.unsubscribe(key, filter);
            serviceSubscribers.remove(key);
        };
    }

    public Registration handleReserved(TopicFilter filter, ReservedTopicHandler handler) {
        if (!filter.matchFilter().startsWith("$aws/")) {
            throw new IllegalArgumentException("reserved-topic handlers serve $aws/ filters only, got " + filter);
        }
        ReservedRoute route = new ReservedRoute(filter, handler, new SerialExecutor(blocking, "reserved-topic handler " + filter));
        reservedRoutes.add(route);
        return () -> reservedRoutes.remove(route);
    }

    public Registration onConnectionEvent(ConnectionListener listener) {
        ConnectionObserver observer = new ConnectionObserver(listener, new SerialExecutor(blocking, "connection listener"));
        connectionListeners.add(observer);
        return () -> connectionListeners.remove(observer);
    }

    public Registration onSecurityEvent(SecurityListener listener) {
        SecurityObserver observer = new SecurityObserver(listener,
                new SerialExecutor(blocking, "security listener", MAX_PENDING_SECURITY_EVENTS), new AtomicLong());
        securityListeners.add(observer);
        return () -> securityListeners.remove(observer);
    }

    private record ReservedRoute(TopicFilter filter, ReservedTopicHandler handler, Executor executor) {
    }

    private record ServiceSubscriber(MessageListener listener, Executor executor) {
    }

    private record ConnectionObserver(ConnectionListener listener, Executor executor) {
    }

    /** {@code dropped} counts events refused since the last {@link SecurityEvent.EventsDropped} was queued. */
    private record SecurityObserver(SecurityListener listener, SerialExecutor executor, AtomicLong dropped) {
    }

    // ---- security events ----------------------------------------------------------------------------------

    /**
     * Queues {@code event} for every security listener; any thread, never waits. A listener with
     * {@link #MAX_PENDING_SECURITY_EVENTS} events pending loses this one, and learns how many it lost from an
     * {@link SecurityEvent.EventsDropped} queued ahead of its next event.
     */
    void security(SecurityEvent event) {
        for (SecurityObserver observer : securityListeners) {
            try {
                long lost = observer.dropped.getAndSet(0);
                if (lost > 0 && !observer.executor.offer(() -> observer.listener.onEvent(
                        new SecurityEvent.EventsDropped(event.timestamp(), lost)))) {
                    observer.dropped.addAndGet(lost);
                }
                if (!observer.executor.offer(() -> observer.listener.onEvent(event))) {
                    observer.dropped.incrementAndGet();
                }
            } catch (RejectedExecutionException e) {
                log.debug("security event not delivered: the broker's executor refused it ({})", e.getMessage());
            }
        }
    }

    // ---- lifecycle events ---------------------------------------------------------------------------------

    long nextVersionNumber() {
        return versionNumbers.incrementAndGet();
    }

    /** Tells listeners and publishes AWS's lifecycle message for {@code event}. */
    void lifecycle(ConnectionEvent event) {
        for (ConnectionObserver observer : connectionListeners) {
            runOn(observer.executor, () -> observer.listener.onEvent(event), "connection listener");
        }
        ClientConnection c = event.connection();
        ObjectNode body = json.createObjectNode();
        body.put("clientId", c.clientId());
        body.put("timestamp", event.timestamp().toEpochMilli());
        String topic;
        switch (event) {
            case ConnectionEvent.Connected connected -> {
                topic = "$aws/events/presence/connected/" + c.clientId();
                body.put("eventType", "connected");
                common(body, c);
                body.put("ipAddress", c.sourceIp());
                body.put("versionNumber", connected.versionNumber());
            }
            case ConnectionEvent.Disconnected disconnected -> {
                topic = "$aws/events/presence/disconnected/" + c.clientId();
                body.put("eventType", "disconnected");
                common(body, c);
                body.put("clientInitiatedDisconnect", disconnected.clientInitiated());
                body.put("disconnectReason", disconnected.reason().name());
                // AWS's disconnected message has no ipAddress (the connected one does).
                body.put("versionNumber", disconnected.versionNumber());
            }
            case ConnectionEvent.Subscribed subscribed -> {
                topic = "$aws/events/subscriptions/subscribed/" + c.clientId();
                body.put("eventType", "subscribed");
                common(body, c);
                subscribed.filters().forEach(f -> body.withArray("topics").add(f.value()));
            }
            case ConnectionEvent.Unsubscribed unsubscribed -> {
                topic = "$aws/events/subscriptions/unsubscribed/" + c.clientId();
                body.put("eventType", "unsubscribed");
                common(body, c);
                unsubscribed.filters().forEach(f -> body.withArray("topics").add(f.value()));
            }
        }
        Topic eventTopic;
        try {
            eventTopic = new Topic(topic);
        } catch (RuntimeException e) {
            // A client id that cannot form a topic (e.g. it contains '+') gets no lifecycle message, as on AWS.
            log.debug("no lifecycle message for client id {}: {}", c.clientId(), e.getMessage());
            return;
        }
        byte[] payload = body.toString().getBytes(StandardCharsets.UTF_8);
        route(Message.of(eventTopic, payload, QoS.AT_LEAST_ONCE, false), new Origin.Service("lifecycle"), null);
    }

    private static void common(ObjectNode body, ClientConnection c) {
        body.put("sessionIdentifier", c.sessionId());
        body.put("principalIdentifier", c.principalId());
    }

    /** Runs a service callback on its serial executor; SerialExecutor logs what a callback throws. */
    private void runOn(Executor executor, Runnable task, String what) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            counters.messagesDropped.increment();
            log.warn("{} not run: the broker's executor refused it ({})", what, e.getMessage());
        }
    }
}
