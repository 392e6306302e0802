package io.rampart.broker.store;

import io.rampart.common.Page;
import io.rampart.common.RampartException;
import io.rampart.messaging.Message;
import io.rampart.messaging.QoS;
import io.rampart.messaging.Topic;
import io.rampart.messaging.TopicFilter;
import io.rampart.store.Database;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@link RetainedStore} on {@code broker_retained}. Topics are compared in byte order (SQLite BINARY, PostgreSQL
 * {@code COLLATE "C"}), so the literal levels before a filter's first wildcard select a key range; the filter then
 * decides exactly.
 */
final class SqlRetainedStore implements RetainedStore {
    private static final String COLUMNS = "topic, payload, qos, expires_at, properties";

    private final GroupCommitter committer;
    private final Database database;
    private final Clock clock;

    SqlRetainedStore(GroupCommitter committer, Database database, Clock clock) {
        this.committer = committer;
        this.database = database;
        this.clock = clock;
    }

    @Override
    public CompletableFuture<Void> retain(Message message) {
        String topic = message.topic().value();
        if (message.payload().length == 0) {
            // MQTT-3.3.1-6/7: an empty retained message removes the topic's retained message and is not stored.
            return committer.submit(SqlSessionStore.write("unretain", statements -> {
                PreparedStatement delete = statements.batched("DELETE FROM broker_retained WHERE topic = ?");
                delete.setString(1, topic);
                delete.addBatch();
                return null;
            }));
        }
        byte[] properties = StoredForms.encode(message.properties());
        long modifiedAt = clock.millis();
        return committer.submit(SqlSessionStore.write("retain", statements -> {
            PreparedStatement upsert = statements.batched("INSERT INTO broker_retained (" + COLUMNS + ", modified_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (topic) DO UPDATE SET payload = excluded.payload, "
                    + "qos = excluded.qos, expires_at = excluded.expires_at, properties = excluded.properties, "
                    + "modified_at = excluded.modified_at");
            upsert.setString(1, topic);
            upsert.setBytes(2, message.payload());
            upsert.setInt(3, message.qos().value());
            SqlSessionStore.setNullableLong(upsert, 4, message.expiresAt() == null ? null : message.expiresAt().toEpochMilli());
            if (properties == null) {
                upsert.setNull(5, Types.BINARY);
            } else {
                upsert.setBytes(5, properties);
            }
            upsert.setLong(6, modifiedAt);
            upsert.addBatch();
            return null;
        }));
    }

    @Override
    public List<Message> matching(TopicFilter filter, Instant now) {
        String matchFilter = filter.matchFilter();
        if (!filter.hasWildcards()) {
            return get(new Topic(matchFilter), now).map(List::of).orElse(List.of());
        }
        StringBuilder prefix = new StringBuilder();
        for (String level : filter.levels()) {
            if (level.equals("+") || level.equals("#")) {
                break;
            }
            prefix.append(level).append('/');
        }
        long nowMillis = now.toEpochMilli();
        return database.query(c -> {
            String sql = "SELECT " + COLUMNS + " FROM broker_retained WHERE (expires_at IS NULL OR expires_at > ?)";
            if (!prefix.isEmpty()) {
                // [prefix, prefix with its trailing '/' raised to '0') is every topic starting with prefix; a
                // trailing '#' also matches the parent level itself ("a/#" matches "a").
                sql += " AND ((topic >= ? AND topic < ?) OR topic = ?)";
            }
            List<Message> result = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(sql)) {
                select.setLong(1, nowMillis);
                if (!prefix.isEmpty()) {
                    String low = prefix.toString();
                    select.setString(2, low);
                    select.setString(3, low.substring(0, low.length() - 1) + '0');
                    select.setString(4, low.substring(0, low.length() - 1));
                }
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        Message message = message(row);
                        if (filter.matches(message.topic())) {
                            result.add(message);
                        }
                    }
                }
            }
            return result;
        });
    }

    @Override
    public List<Message> all(Instant now) {
        return database.query(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM broker_retained WHERE expires_at IS NULL OR expires_at > ?")) {
                select.setLong(1, now.toEpochMilli());
                List<Message> result = new ArrayList<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        result.add(message(row));
                    }
                }
                return result;
            }
        });
    }

    @Override
    public Optional<Message> get(Topic topic, Instant now) {
        return database.query(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM broker_retained WHERE topic = ?")) {
                select.setString(1, topic.value());
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return Optional.<Message>empty();
                    }
                    Message message = message(row);
                    return message.isExpired(now) ? Optional.<Message>empty() : Optional.of(message);
                }
            }
        });
    }

    @Override
    public Page<RetainedSummary> list(Page.Request request, Instant now) {
        String after = request.nextToken() == null ? null : decodeToken(request.nextToken());
        return database.query(c -> {
            String sql = "SELECT topic, length(payload), qos, modified_at FROM broker_retained "
                    + "WHERE (expires_at IS NULL OR expires_at > ?)" + (after == null ? "" : " AND topic > ?")
                    + " ORDER BY topic LIMIT ?";
            try (PreparedStatement select = c.prepareStatement(sql)) {
                int i = 1;
                select.setLong(i++, now.toEpochMilli());
                if (after != null) {
                    select.setString(i++, after);
                }
                select.setInt(i, request.maxResults() + 1);
                List<RetainedSummary> items = new ArrayList<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        items.add(new RetainedSummary(new Topic(row.getString(1)), row.getLong(2), QoS.of(row.getInt(3)),
                                Instant.ofEpochMilli(row.getLong(4))));
                    }
                }
                if (items.size() <= request.maxResults()) {
                    return new Page<>(items, null);
                }
                List<RetainedSummary> page = items.subList(0, request.maxResults());
                return new Page<>(page, encodeToken(page.getLast().topic().value()));
            }
        });
    }

    private static String encodeToken(String topic) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(topic.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeToken(String token) {
        try {
            String topic = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            return new Topic(topic).value();
        } catch (IllegalArgumentException | RampartException e) {
            throw RampartException.invalidRequest("nextToken is not a token returned by ListRetainedMessages");
        }
    }

    private static Message message(ResultSet row) throws SQLException {
        long expiresAt = row.getLong(4);
        Instant expiry = row.wasNull() ? null : Instant.ofEpochMilli(expiresAt);
        return new Message(new Topic(row.getString(1)), row.getBytes(2), QoS.of(row.getInt(3)), true, expiry,
                StoredForms.decodeProperties(row.getBytes(5)));
    }
}
