package io.rampart.broker.store;

import io.rampart.broker.subscriptions.Recipient;
import io.rampart.messaging.Message;
import io.rampart.messaging.QoS;
import io.rampart.messaging.RetainHandling;
import io.rampart.messaging.SubscriptionOptions;
import io.rampart.messaging.Topic;
import io.rampart.messaging.TopicFilter;
import io.rampart.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** {@link SessionStore} on the broker tables; every write goes through the {@link GroupCommitter}. */
final class SqlSessionStore implements SessionStore {
    /** MQTT 5: a session expiry interval of 0xFFFFFFFF seconds means the session does not expire (§3.1.2.11.2). */
    static final long NEVER_EXPIRES_SECONDS = 0xFFFF_FFFFL;
    private static final long NEVER = Long.MAX_VALUE;

    private static final String INSERT_MESSAGE =
            "INSERT INTO broker_messages (id, topic, payload, qos, retain, expires_at, properties) VALUES (?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_QUEUE =
            "INSERT INTO broker_queue (client_id, message_id, qos, retain, subscription_ids, state, packet_id) VALUES (?, ?, ?, ?, ?, 0, 0)";
    private static final String INSERT_INBOUND =
            "INSERT INTO broker_inbound_qos2 (client_id, packet_id) VALUES (?, ?) ON CONFLICT (client_id, packet_id) DO NOTHING";
    private static final String DELETE_QUEUE_ENTRY = "DELETE FROM broker_queue WHERE client_id = ? AND message_id = ?";
    private static final String DELETE_MESSAGE_IF_UNREFERENCED =
            "DELETE FROM broker_messages WHERE id = ? AND NOT EXISTS (SELECT 1 FROM broker_queue WHERE message_id = ?)";

    private static final String MARK_SENT =
            "UPDATE broker_queue SET state = 1, packet_id = ? WHERE client_id = ? AND message_id = ?";
    private static final String MARK_RELEASED = "UPDATE broker_queue SET state = 2 WHERE client_id = ? AND message_id = ?";
    /**
     * The hot path (enqueue, mark sent/released, acknowledge) shares one write kind, so a busy broker's interleaved
     * enqueues and acknowledgements still form large JDBC batches. This order gives the submission-order result:
     * a message id is new at enqueue (its rows are inserted before any update or delete of them could be
     * submitted), a delivery is marked sent before released before acknowledged, and a payload is deleted only
     * after every queue-entry delete of the batch.
     */
    static final List<String> PUBLISH_PATH = List.of(INSERT_MESSAGE, INSERT_QUEUE, INSERT_INBOUND, MARK_SENT, MARK_RELEASED,
            DELETE_QUEUE_ENTRY, DELETE_MESSAGE_IF_UNREFERENCED);

    private final GroupCommitter committer;
    private final Database database;
    private final MessageIds ids;
    private final Clock clock;

    SqlSessionStore(GroupCommitter committer, Database database, MessageIds ids, Clock clock) {
        this.committer = committer;
        this.database = database;
        this.ids = ids;
        this.clock = clock;
    }

    @Override
    public CompletableFuture<StoredSession> open(String clientId, boolean cleanStart, Duration expiry) {
        long expirySeconds = checkExpiry(expiry);
        return committer.submit(write("open", statements -> {
            Connection c = statements.connection();
            long now = clock.millis();
            if (!cleanStart) {
                Long expiresAt = null;
                boolean exists = false;
                try (PreparedStatement select = c.prepareStatement("SELECT expires_at FROM broker_sessions WHERE client_id = ?")) {
                    select.setString(1, clientId);
                    try (ResultSet row = select.executeQuery()) {
                        if (row.next()) {
                            exists = true;
                            long value = row.getLong(1);
                            expiresAt = row.wasNull() ? null : value;
                        }
                    }
                }
                if (exists && (expiresAt == null || expiresAt > now)) {
                    // MQTT-3.1.2-5: resume; the session no longer expires while a connection uses it.
                    try (PreparedStatement update = c.prepareStatement(
                            "UPDATE broker_sessions SET expires_at = NULL, expiry_seconds = ? WHERE client_id = ?")) {
                        update.setLong(1, expirySeconds);
                        update.setString(2, clientId);
                        update.executeUpdate();
                    }
                    return new StoredSession(clientId, true, expiry, subscriptions(c, clientId), inboundPacketIds(c, clientId), null);
                }
                if (exists) {
                    deleteSession(c, clientId);
                }
            } else {
                // MQTT-3.1.2-4: a clean start discards any existing session.
                deleteSession(c, clientId);
            }
            if (expirySeconds > 0) {
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO broker_sessions (client_id, expiry_seconds, expires_at, created_at) VALUES (?, ?, NULL, ?)")) {
                    insert.setString(1, clientId);
                    insert.setLong(2, expirySeconds);
                    insert.setLong(3, now);
                    insert.executeUpdate();
                }
            }
            return new StoredSession(clientId, false, expiry, Map.of(), Set.of(), null);
        }));
    }

    @Override
    public CompletableFuture<Void> close(String clientId, Instant disconnectedAt, Duration expiry) {
        long expirySeconds = checkExpiry(expiry);
        return committer.submit(write("close", statements -> {
            Connection c = statements.connection();
            if (expirySeconds == 0) {
                deleteSession(c, clientId);
                return null;
            }
            long expiresAt = expirySeconds >= NEVER_EXPIRES_SECONDS
                    ? NEVER
                    : disconnectedAt.toEpochMilli() + expirySeconds * 1000;
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE broker_sessions SET expires_at = ?, expiry_seconds = ? WHERE client_id = ?")) {
                update.setLong(1, expiresAt);
                update.setLong(2, expirySeconds);
                update.setString(3, clientId);
                update.executeUpdate();
            }
            return null;
        }));
    }

    @Override
    public CompletableFuture<Void> delete(String clientId) {
        return committer.submit(write("delete", statements -> {
            deleteSession(statements.connection(), clientId);
            return null;
        }));
    }

    @Override
    public CompletableFuture<Void> subscribe(String clientId, TopicFilter filter, SubscriptionOptions options) {
        return committer.submit(write("subscribe", statements -> {
            PreparedStatement upsert = statements.batched("INSERT INTO broker_subscriptions (client_id, filter, qos, no_local, "
                    + "retain_as_published, retain_handling, subscription_id) VALUES (?, ?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT (client_id, filter) DO UPDATE SET qos = excluded.qos, no_local = excluded.no_local, "
                    + "retain_as_published = excluded.retain_as_published, retain_handling = excluded.retain_handling, "
                    + "subscription_id = excluded.subscription_id");
            upsert.setString(1, clientId);
            upsert.setString(2, filter.value());
            upsert.setInt(3, options.qos().value());
            upsert.setInt(4, options.noLocal() ? 1 : 0);
            upsert.setInt(5, options.retainAsPublished() ? 1 : 0);
            upsert.setInt(6, options.retainHandling().ordinal());
            upsert.setInt(7, options.subscriptionIdentifier());
            upsert.addBatch();
            return null;
        }));
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String clientId, TopicFilter filter) {
        return committer.submit(write("unsubscribe", statements -> {
            PreparedStatement delete = statements.batched("DELETE FROM broker_subscriptions WHERE client_id = ? AND filter = ?");
            delete.setString(1, clientId);
            delete.setString(2, filter.value());
            delete.addBatch();
            return null;
        }));
    }

    @Override
    public Enqueued enqueue(Message message, List<Recipient> recipients, InboundPacket inbound) {
        List<Recipient> queued = queuedRecipients(message, recipients);
        if (queued.isEmpty() && inbound == null) {
            return new Enqueued(0, CompletableFuture.completedFuture(null));
        }
        long messageId = queued.isEmpty() ? 0 : ids.next();
        byte[] properties = StoredForms.encode(message.properties());
        CompletableFuture<Void> durable = committer.submit(write("publish", PUBLISH_PATH, statements -> {
            if (!queued.isEmpty()) {
                PreparedStatement insertMessage = statements.batched(INSERT_MESSAGE);
                insertMessage.setLong(1, messageId);
                insertMessage.setString(2, message.topic().value());
                insertMessage.setBytes(3, message.payload());
                insertMessage.setInt(4, message.qos().value());
                insertMessage.setInt(5, message.retain() ? 1 : 0);
                setNullableLong(insertMessage, 6, message.expiresAt() == null ? null : message.expiresAt().toEpochMilli());
                if (properties == null) {
                    insertMessage.setNull(7, Types.BINARY);
                } else {
                    insertMessage.setBytes(7, properties);
                }
                insertMessage.addBatch();
                PreparedStatement insertQueue = statements.batched(INSERT_QUEUE);
                for (Recipient recipient : queued) {
                    insertQueue.setString(1, recipient.clientId());
                    insertQueue.setLong(2, messageId);
                    insertQueue.setInt(3, message.qos().min(recipient.qos()).value());
                    // MQTT-3.3.1-12/13: forwarded messages keep RETAIN only for retain-as-published subscriptions.
                    insertQueue.setInt(4, message.retain() && recipient.retainAsPublished() ? 1 : 0);
                    insertQueue.setString(5, StoredForms.encode(recipient.subscriptionIdentifiers()));
                    insertQueue.addBatch();
                }
            }
            if (inbound != null) {
                PreparedStatement insertInbound = statements.batched(INSERT_INBOUND);
                insertInbound.setString(1, inbound.clientId());
                insertInbound.setInt(2, inbound.packetId());
                insertInbound.addBatch();
            }
            return null;
        }));
        return new Enqueued(messageId, durable);
    }

    /**
     * The recipients that need a queue entry: delivery QoS above 0, one entry per client. A client matched both
     * through its own subscription and as a shared-subscription member gets one copy at the higher QoS with all
     * identifiers (MQTT-3.3.4-2 lets the server send one copy for overlapping subscriptions).
     */
    private static List<Recipient> queuedRecipients(Message message, List<Recipient> recipients) {
        Map<String, Recipient> byClient = new LinkedHashMap<>();
        for (Recipient recipient : recipients) {
            if (message.qos().min(recipient.qos()) == QoS.AT_MOST_ONCE) {
                continue;
            }
            Recipient previous = byClient.putIfAbsent(recipient.clientId(), recipient);
            if (previous != null) {
                List<Integer> identifiers = new ArrayList<>(previous.subscriptionIdentifiers());
                identifiers.addAll(recipient.subscriptionIdentifiers());
                byClient.put(recipient.clientId(), new Recipient(recipient.clientId(), previous.qos().max(recipient.qos()),
                        previous.retainAsPublished() || recipient.retainAsPublished(), identifiers, previous.shareGroup()));
            }
        }
        return List.copyOf(byClient.values());
    }

    @Override
    public CompletableFuture<Void> markSent(String clientId, long messageId, int packetId) {
        return updateState(clientId, messageId, DeliveryState.SENT, packetId);
    }

    @Override
    public CompletableFuture<Void> markReleased(String clientId, long messageId) {
        return updateState(clientId, messageId, DeliveryState.RELEASED, -1);
    }

    private CompletableFuture<Void> updateState(String clientId, long messageId, DeliveryState state, int packetId) {
        return committer.submit(write("publish", PUBLISH_PATH, statements -> {
            PreparedStatement update = statements.batched(state == DeliveryState.SENT ? MARK_SENT : MARK_RELEASED);
            int i = 1;
            if (state == DeliveryState.SENT) {
                update.setInt(i++, packetId);
            }
            update.setString(i++, clientId);
            update.setLong(i, messageId);
            update.addBatch();
            return null;
        }));
    }

    @Override
    public CompletableFuture<Void> acknowledge(String clientId, long messageId) {
        return committer.submit(write("publish", PUBLISH_PATH, statements -> {
            PreparedStatement deleteEntry = statements.batched(DELETE_QUEUE_ENTRY);
            deleteEntry.setString(1, clientId);
            deleteEntry.setLong(2, messageId);
            deleteEntry.addBatch();
            // The payload goes with its last queue entry (runs after all the batch's entry deletes).
            PreparedStatement deleteMessage = statements.batched(DELETE_MESSAGE_IF_UNREFERENCED);
            deleteMessage.setLong(1, messageId);
            deleteMessage.setLong(2, messageId);
            deleteMessage.addBatch();
            return null;
        }));
    }

    @Override
    public CompletableFuture<Void> releaseInbound(String clientId, int packetId) {
        return committer.submit(write("release", statements -> {
            PreparedStatement delete = statements.batched("DELETE FROM broker_inbound_qos2 WHERE client_id = ? AND packet_id = ?");
            delete.setString(1, clientId);
            delete.setInt(2, packetId);
            delete.addBatch();
            return null;
        }));
    }

    @Override
    public List<QueuedDelivery> pending(String clientId, long afterMessageId, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, got " + limit);
        }
        long now = clock.millis();
        return database.query(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT q.message_id, q.qos, q.retain, q.subscription_ids, q.state, q.packet_id, "
                            + "m.topic, m.payload, m.expires_at, m.properties "
                            + "FROM broker_queue q JOIN broker_messages m ON m.id = q.message_id "
                            + "WHERE q.client_id = ? AND q.message_id > ? AND (m.expires_at IS NULL OR m.expires_at > ?) "
                            + "ORDER BY q.message_id LIMIT ?")) {
                select.setString(1, clientId);
                select.setLong(2, afterMessageId);
                select.setLong(3, now);
                select.setInt(4, limit);
                List<QueuedDelivery> result = new ArrayList<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        long expiresAt = row.getLong(9);
                        Instant expiry = row.wasNull() ? null : Instant.ofEpochMilli(expiresAt);
                        Message message = new Message(new Topic(row.getString(7)), row.getBytes(8), QoS.of(row.getInt(2)),
                                row.getInt(3) == 1, expiry, StoredForms.decodeProperties(row.getBytes(10)));
                        result.add(new QueuedDelivery(row.getLong(1), message, StoredForms.decodeIdentifiers(row.getString(4)),
                                DeliveryState.values()[row.getInt(5)], row.getInt(6)));
                    }
                }
                return result;
            }
        });
    }

    @Override
    public void loadAll(Consumer<StoredSession> consumer) {
        record Loading(Duration expiry, Instant expiresAt, Map<TopicFilter, SubscriptionOptions> subscriptions, Set<Integer> inbound) {
        }
        Map<String, Loading> sessions = database.inTransaction(c -> {
            Map<String, Loading> loaded = new LinkedHashMap<>();
            try (PreparedStatement select = c.prepareStatement("SELECT client_id, expiry_seconds, expires_at FROM broker_sessions");
                 ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    long expiresAt = row.getLong(3);
                    Instant at = row.wasNull() || expiresAt == NEVER ? null : Instant.ofEpochMilli(expiresAt);
                    loaded.put(row.getString(1), new Loading(Duration.ofSeconds(row.getLong(2)), at, new HashMap<>(), new HashSet<>()));
                }
            }
            try (PreparedStatement select = c.prepareStatement("SELECT client_id, filter, qos, no_local, retain_as_published, "
                    + "retain_handling, subscription_id FROM broker_subscriptions");
                 ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    Loading session = loaded.get(row.getString(1));
                    if (session != null) {
                        session.subscriptions.put(new TopicFilter(row.getString(2)), options(row, 3));
                    }
                }
            }
            try (PreparedStatement select = c.prepareStatement("SELECT client_id, packet_id FROM broker_inbound_qos2");
                 ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    Loading session = loaded.get(row.getString(1));
                    if (session != null) {
                        session.inbound.add(row.getInt(2));
                    }
                }
            }
            return loaded;
        });
        sessions.forEach((clientId, s) -> consumer.accept(new StoredSession(clientId, true, s.expiry, s.subscriptions, s.inbound, s.expiresAt)));
    }

    @Override
    public CompletableFuture<List<String>> expire(Instant now) {
        long nowMillis = now.toEpochMilli();
        return committer.submit(write("expire", statements -> {
            Connection c = statements.connection();
            List<String> expired = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT client_id FROM broker_sessions WHERE expires_at IS NOT NULL AND expires_at <= ?")) {
                select.setLong(1, nowMillis);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        expired.add(row.getString(1));
                    }
                }
            }
            for (String clientId : expired) {
                deleteSession(c, clientId);
            }
            // Entries queued for sessions that ended while the message was being routed, and expired messages.
            execute(c, "DELETE FROM broker_queue WHERE NOT EXISTS "
                    + "(SELECT 1 FROM broker_sessions s WHERE s.client_id = broker_queue.client_id)", null);
            execute(c, "DELETE FROM broker_queue WHERE message_id IN "
                    + "(SELECT id FROM broker_messages WHERE expires_at IS NOT NULL AND expires_at <= ?)", nowMillis);
            execute(c, "DELETE FROM broker_messages WHERE NOT EXISTS "
                    + "(SELECT 1 FROM broker_queue q WHERE q.message_id = broker_messages.id)", null);
            execute(c, "DELETE FROM broker_retained WHERE expires_at IS NOT NULL AND expires_at <= ?", nowMillis);
            return List.copyOf(expired);
        }));
    }

    @Override
    public CompletableFuture<Integer> trimQueues(int maxQueuedPerSession) {
        if (maxQueuedPerSession < 1) {
            throw new IllegalArgumentException("maxQueuedPerSession must be >= 1, got " + maxQueuedPerSession);
        }
        return committer.submit(write("trim", statements -> {
            Connection c = statements.connection();
            int dropped;
            // Newest first per session; everything past the limit goes (row values and window functions: SQLite
            // 3.25+, PostgreSQL).
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM broker_queue WHERE state = 0 AND "
                    + "(client_id, message_id) IN (SELECT client_id, message_id FROM (SELECT client_id, message_id, "
                    + "ROW_NUMBER() OVER (PARTITION BY client_id ORDER BY message_id DESC) AS position "
                    + "FROM broker_queue WHERE state = 0) ranked WHERE position > ?)")) {
                delete.setInt(1, maxQueuedPerSession);
                dropped = delete.executeUpdate();
            }
            if (dropped > 0) {
                execute(c, "DELETE FROM broker_messages WHERE NOT EXISTS "
                        + "(SELECT 1 FROM broker_queue q WHERE q.message_id = broker_messages.id)", null);
            }
            return dropped;
        }));
    }

    private static void execute(Connection c, String sql, Long parameter) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            if (parameter != null) {
                statement.setLong(1, parameter);
            }
            statement.executeUpdate();
        }
    }

    private static void deleteSession(Connection c, String clientId) throws SQLException {
        for (String table : List.of("broker_queue", "broker_subscriptions", "broker_inbound_qos2", "broker_sessions")) {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE client_id = ?")) {
                delete.setString(1, clientId);
                delete.executeUpdate();
            }
        }
    }

    private static Map<TopicFilter, SubscriptionOptions> subscriptions(Connection c, String clientId) throws SQLException {
        Map<TopicFilter, SubscriptionOptions> result = new HashMap<>();
        try (PreparedStatement select = c.prepareStatement("SELECT filter, qos, no_local, retain_as_published, retain_handling, "
                + "subscription_id FROM broker_subscriptions WHERE client_id = ?")) {
            select.setString(1, clientId);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    result.put(new TopicFilter(row.getString(1)), options(row, 2));
                }
            }
        }
        return result;
    }

    private static SubscriptionOptions options(ResultSet row, int first) throws SQLException {
        return new SubscriptionOptions(QoS.of(row.getInt(first)), row.getInt(first + 1) == 1, row.getInt(first + 2) == 1,
                RetainHandling.values()[row.getInt(first + 3)], row.getInt(first + 4));
    }

    private static Set<Integer> inboundPacketIds(Connection c, String clientId) throws SQLException {
        Set<Integer> result = new HashSet<>();
        try (PreparedStatement select = c.prepareStatement("SELECT packet_id FROM broker_inbound_qos2 WHERE client_id = ?")) {
            select.setString(1, clientId);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    result.add(row.getInt(1));
                }
            }
        }
        return result;
    }

    static void setNullableLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }

    private static long checkExpiry(Duration expiry) {
        if (expiry.isNegative()) {
            throw new IllegalArgumentException("session expiry must not be negative, got " + expiry);
        }
        return Math.min(expiry.getSeconds(), NEVER_EXPIRES_SECONDS);
    }

    /** A write of the given kind (see {@link GroupCommitter} invariant 2). */
    static <T> GroupCommitter.Write<T> write(String kind, Work<T> work) {
        return write(kind, List.of(), work);
    }

    /** A write of the given kind whose batched statements run in {@code statementOrder}. */
    static <T> GroupCommitter.Write<T> write(String kind, List<String> statementOrder, Work<T> work) {
        return new GroupCommitter.Write<>() {
            @Override
            public String kind() {
                return kind;
            }

            @Override
            public List<String> statementOrder() {
                return statementOrder;
            }

            @Override
            public T apply(GroupCommitter.Statements statements) throws SQLException {
                return work.apply(statements);
            }
        };
    }

    @FunctionalInterface
    interface Work<T> {
        T apply(GroupCommitter.Statements statements) throws SQLException;
    }
}
