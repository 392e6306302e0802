package io.rampart.broker.store;

import io.rampart.store.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rampart.broker.subscriptions.Recipient;
import io.rampart.broker.subscriptions.SubscriptionIndex;
import io.rampart.messaging.Message;
import io.rampart.messaging.MessageProperties;
import io.rampart.messaging.QoS;
import io.rampart.messaging.RetainHandling;
import io.rampart.messaging.SubscriptionOptions;
import io.rampart.messaging.Topic;
import io.rampart.messaging.TopicFilter;
import io.rampart.messaging.UserProperty;
import io.rampart.store.Database;
import io.rampart.store.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour of {@link SessionStore} on a real database; run on SQLite and PostgreSQL by the subclasses. */
abstract class SessionStoreContract {
    private final TestDatabase db;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private BrokerStorage storage;
    private SessionStore sessions;
    private String client;

    SessionStoreContract(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void open() {
        storage = BrokerStorage.open(db.database(), clock, CommitSettings.DEFAULTS);
        sessions = storage.sessions();
        // Each test uses its own client ids: the database is shared by the class.
        client = "client-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    }

    @AfterEach
    void close() {
        storage.close();
    }

    /** Simulates a node restart: stop the committer, reopen the pool, start again. */
    private void restart() {
        storage.close();
        Database reopened = db.reopen();
        storage = BrokerStorage.open(reopened, clock, CommitSettings.DEFAULTS);
        sessions = storage.sessions();
    }

    private String id(String name) {
        return client + name;
    }

    private static Message message(String topic, String payload, QoS qos) {
        return Message.of(new Topic(topic), payload.getBytes(StandardCharsets.UTF_8), qos, false);
    }

    private static Recipient recipient(String clientId, QoS qos) {
        return new Recipient(clientId, qos, false, List.of(), null);
    }

    private static String text(QueuedDelivery delivery) {
        return new String(delivery.message().payload(), StandardCharsets.UTF_8);
    }

    private long count(String sql) {
        return db.database().query(c -> {
            try (PreparedStatement s = c.prepareStatement(sql); ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        });
    }

    @Test
    void newSessionIsNotPresentAndResumedSessionIsWithItsSubscriptions() {
        StoredSession first = sessions.open(id("a"), false, Duration.ofHours(1)).join();
        assertThat(first.present()).isFalse();
        SubscriptionOptions options = new SubscriptionOptions(QoS.EXACTLY_ONCE, true, true, RetainHandling.SEND_IF_NEW_SUBSCRIPTION, 42);
        sessions.subscribe(id("a"), new TopicFilter("cmd/#"), options).join();
        sessions.subscribe(id("a"), new TopicFilter("$share/g/jobs/+"), SubscriptionOptions.of(QoS.AT_LEAST_ONCE)).join();
        sessions.close(id("a"), clock.instant(), Duration.ofHours(1)).join();

        restart();
        StoredSession resumed = sessions.open(id("a"), false, Duration.ofHours(1)).join();
        assertThat(resumed.present()).isTrue();
        assertThat(resumed.subscriptions()).containsOnly(
                Map.entry(new TopicFilter("cmd/#"), options),
                Map.entry(new TopicFilter("$share/g/jobs/+"), SubscriptionOptions.of(QoS.AT_LEAST_ONCE)));
    }

    @Test
    void cleanStartDiscardsTheStoredSessionAndItsQueue() {
        sessions.open(id("a"), false, Duration.ofHours(1)).join();
        sessions.subscribe(id("a"), new TopicFilter("t"), SubscriptionOptions.of(QoS.AT_LEAST_ONCE)).join();
        sessions.enqueue(message("t", "m1", QoS.AT_LEAST_ONCE), List.of(recipient(id("a"), QoS.AT_LEAST_ONCE)), null).durable().join();

        StoredSession clean = sessions.open(id("a"), true, Duration.ofHours(1)).join();
        assertThat(clean.present()).isFalse();
        assertThat(clean.subscriptions()).isEmpty();
        assertThat(sessions.pending(id("a"), 0, 100)).isEmpty();
        assertThat(sessions.open(id("a"), false, Duration.ofHours(1)).join().subscriptions()).isEmpty();
    }

    @Test
    void cleanStartWithZeroExpiryStoresNothing() {
        sessions.open(id("a"), false, Duration.ofHours(1)).join();
        assertThat(sessions.open(id("a"), true, Duration.ZERO).join().present()).isFalse();
        assertThat(count("SELECT COUNT(*) FROM broker_sessions WHERE client_id = '" + id("a") + "'")).isZero();
    }

    @Test
    void unsubscribeRemovesTheStoredSubscription() {
        sessions.open(id("a"), false, Duration.ofHours(1)).join();
        sessions.subscribe(id("a"), new TopicFilter("x"), SubscriptionOptions.of(QoS.AT_LEAST_ONCE)).join();
        sessions.subscribe(id("a"), new TopicFilter("x"), SubscriptionOptions.of(QoS.EXACTLY_ONCE)).join();
        assertThat(sessions.open(id("a"), false, Duration.ofHours(1)).join().subscriptions())
                .containsOnly(Map.entry(new TopicFilter("x"), SubscriptionOptions.of(QoS.EXACTLY_ONCE)));
        sessions.unsubscribe(id("a"), new TopicFilter("x")).join();
        assertThat(sessions.open(id("a"), false, Duration.ofHours(1)).join().subscriptions()).isEmpty();
    }

    @Test
    void enqueueStoresThePayloadOnceAndADeliveryPerRecipientAtTheGrantedQos() {
        for (String name : List.of("a", "b", "c")) {
            sessions.open(id(name), false, Duration.ofHours(1)).join();
        }
        long before = count("SELECT COUNT(*) FROM broker_messages");
        Message published = Message.of(new Topic("t/1"), "payload".getBytes(StandardCharsets.UTF_8), QoS.EXACTLY_ONCE, true);
        Enqueued enqueued = sessions.enqueue(published, List.of(
                recipient(id("a"), QoS.AT_LEAST_ONCE),
                new Recipient(id("b"), QoS.EXACTLY_ONCE, true, List.of(3, 9), null),
                recipient(id("c"), QoS.AT_MOST_ONCE)), null);
        enqueued.durable().join();

        assertThat(enqueued.messageId()).isPositive();
        assertThat(count("SELECT COUNT(*) FROM broker_messages")).isEqualTo(before + 1);
        QueuedDelivery a = sessions.pending(id("a"), 0, 10).getFirst();
        assertThat(a.message().qos()).isEqualTo(QoS.AT_LEAST_ONCE);
        assertThat(a.message().retain()).as("retain cleared without retain-as-published").isFalse();
        assertThat(a.state()).isEqualTo(DeliveryState.QUEUED);
        assertThat(a.messageId()).isEqualTo(enqueued.messageId());
        QueuedDelivery b = sessions.pending(id("b"), 0, 10).getFirst();
        assertThat(b.message().qos()).isEqualTo(QoS.EXACTLY_ONCE);
        assertThat(b.message().retain()).isTrue();
        assertThat(b.subscriptionIdentifiers()).containsExactly(3, 9);
        assertThat(text(b)).isEqualTo("payload");
        assertThat(sessions.pending(id("c"), 0, 10)).as("QoS 0 deliveries are never queued").isEmpty();
    }

    @Test
    void aClientMatchedTwiceGetsOneQueuedCopyAtTheHigherQos() {
        sessions.open(id("a"), false, Duration.ofHours(1)).join();
        Enqueued enqueued = sessions.enqueue(message("t", "m", QoS.EXACTLY_ONCE), List.of(
                new Recipient(id("a"), QoS.AT_LEAST_ONCE, false, List.of(1), null),
                new Recipient(id("a"), QoS.EXACTLY_ONCE, false, List.of(2), "group")), null);
        enqueued.durable().join();
        assertThat(sessions.pending(id("a"), 0, 10)).singleElement().satisfies(d -> {
            assertThat(d.message().qos()).isEqualTo(QoS.EXACTLY_ONCE);
            assertThat(d.subscriptionIdentifiers()).containsExactly(1, 2);
        });
    }

    @Test
    void nothingIsWrittenWhenNoRecipientNeedsStorage() {
        Enqueued enqueued = sessions.enqueue(message("t", "x", QoS.AT_MOST_ONCE), List.of(recipient(id("a"), QoS.EXACTLY_ONCE)), null);
        assertThat(enqueued.messageId()).isZero();
        assertThat(enqueued.durable()).isCompleted();
        assertThat(sessions.enqueue(message("t", "x", QoS.AT_LEAST_ONCE), List.of(), null).messageId()).isZero();
    }

    @Test
    void acknowledgingRemovesTheDeliveryAndTheLastOneRemovesThePayload() {
        sessions.open(id("a"), false, Duration.ofHours(1)).join();
        sessions.open(id("b"), false, Duration.ofHours(1)).join();
        Enqueued enqueued = sessions.enqueue(message("t", "m", QoS.AT_LEAST_ONCE),
                List.of(recipient(id("a"), QoS.AT_LEAST_ONCE), recipient(id("b"), QoS.AT_LEAST_ONCE)), null);
        enqueued.durable().join();
        String payloadRows = "SELECT COUNT(*) FROM broker_messages WHERE id = " + enqueued.messageId();

        sessions.acknowledge(id("a"), enqueued.messageId()).join();
        assertThat(sessions.pending(id("a"), 0, 10)).isEmpty();
        assertThat(count(payloadRows)).isEqualTo(1);
        sessions.acknowledge(id("b"), enqueued.messageId()).join();
        assertThat(sessions.pending(id("b"), 0, 10)).isEmpty();
        assertThat(count(payloadRows)).isZero();
    }

    @Test
    void inFlightStateSurvivesARestart() {
        sessions.open(id("a"), false, Duration.ofHours(1)).join();
        long m1 = sessions.enqueue(message("t", "m1", QoS.EXACTLY_ONCE), List.of(recipient(id("a"), QoS.EXACTLY_ONCE)), null).messageId();
        long m2 = sessions.enqueue(message("t", "m2", QoS.EXACTLY_ONCE), List.of(recipient(id("a"), QoS.EXACTLY_ONCE)), null).messageId();
        Enqueued m3 = sessions.enqueue(message("t", "m3", QoS.EXACTLY_ONCE), List.of(recipient(id("a"), QoS.EXACTLY_ONCE)), null);
        m3.durable().join();
        sessions.markSent(id("a"), m1, 17).join();
        sessions.markSent(id("a"), m2, 18).join();
        sessions.markReleased(id("a"), m2).join();

        restart();
        List<QueuedDelivery> pending = sessions.pending(id("a"), 0, 10);
        assertThat(pending).extracting(QueuedDelivery::messageId).containsExactly(m1, m2, m3.messageId());
        assertThat(pending).extracting(QueuedDelivery::state).containsExactly(DeliveryState.SENT, DeliveryState.RELEASED, DeliveryState.QUEUED);
        assertThat(pending).extracting(QueuedDelivery::packetId).containsExactly(17, 18, 0);
    }

    @Test
    void pendingPagesInMessageIdOrder() {
        sessions.open(id("a"), false, Duration.ofHours(1)).join();
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            futures.add(sessions.enqueue(message("t", "m" + i, QoS.AT_LEAST_ONCE), List.of(recipient(id("a"), QoS.AT_LEAST_ONCE)), null).durable());
        }
        futures.forEach(CompletableFuture::join);
        List<String> seen = new ArrayList<>();
        long after = 0;
        while (true) {
            List<QueuedDelivery> page = sessions.pending(id("a"), after, 10);
            if (page.isEmpty()) {
                break;
            }
            page.forEach(d -> seen.add(text(d)));
            after = page.getLast().messageId();
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            expected.add("m" + i);
        }
        assertThat(seen).isEqualTo(expected);
        assertThatThrownBy(() -> sessions.pending(id("a"), 0, 0)).hasMessageContaining("limit must be >= 1");
    }

    @Test
    void expiredMessagesAreNotDeliveredAndAreSweptAway() {
        sessions.open(id("a"), false, Duration.ofHours(1)).join();
        Message shortLived = new Message(new Topic("t"), new byte[] {1}, QoS.AT_LEAST_ONCE, false,
                clock.instant().plusSeconds(10), MessageProperties.NONE);
        Enqueued enqueued = sessions.enqueue(shortLived, List.of(recipient(id("a"), QoS.AT_LEAST_ONCE)), null);
        enqueued.durable().join();
        assertThat(sessions.pending(id("a"), 0, 10)).hasSize(1);
        clock.advance(Duration.ofSeconds(10));
        assertThat(sessions.pending(id("a"), 0, 10)).isEmpty();
        sessions.expire(clock.instant()).join();
        assertThat(count("SELECT COUNT(*) FROM broker_messages WHERE id = " + enqueued.messageId())).isZero();
    }

    @Test
    void messagePropertiesRoundTrip() {
        sessions.open(id("a"), false, Duration.ofHours(1)).join();
        MessageProperties properties = new MessageProperties(true, "application/json", new Topic("reply/𝄞"),
                new byte[] {0, 1, 2, (byte) 0xFF}, List.of(new UserProperty("k", "v1"), new UserProperty("k", "v2"),
                new UserProperty("ü", "x".repeat(70_000))));
        Message sent = new Message(new Topic("req"), new byte[0], QoS.AT_LEAST_ONCE, false, null, properties);
        sessions.enqueue(sent, List.of(recipient(id("a"), QoS.AT_LEAST_ONCE)), null).durable().join();
        assertThat(sessions.pending(id("a"), 0, 1).getFirst().message()).isEqualTo(sent);
    }

    @Test
    void inboundQos2PacketIdsAreRecordedWithTheMessageAndReleased() {
        sessions.open(id("pub"), false, Duration.ofHours(1)).join();
        sessions.open(id("sub"), false, Duration.ofHours(1)).join();
        sessions.enqueue(message("t", "m", QoS.EXACTLY_ONCE), List.of(recipient(id("sub"), QoS.EXACTLY_ONCE)),
                new InboundPacket(id("pub"), 7)).durable().join();
        // Publisher without persistent recipients still records the packet id.
        sessions.enqueue(message("t", "n", QoS.EXACTLY_ONCE), List.of(), new InboundPacket(id("pub"), 8)).durable().join();

        restart();
        assertThat(sessions.open(id("pub"), false, Duration.ofHours(1)).join().inboundQos2PacketIds()).containsExactlyInAnyOrder(7, 8);
        sessions.releaseInbound(id("pub"), 7).join();
        assertThat(sessions.open(id("pub"), false, Duration.ofHours(1)).join().inboundQos2PacketIds()).containsExactly(8);
    }

    @Test
    void sessionsExpireOnlyAfterDisconnectPlusExpiry() {
        sessions.open(id("short"), false, Duration.ofSeconds(60)).join();
        sessions.open(id("connected"), false, Duration.ofSeconds(60)).join();
        sessions.open(id("forever"), false, Duration.ofSeconds(SqlSessionStore.NEVER_EXPIRES_SECONDS)).join();
        sessions.subscribe(id("short"), new TopicFilter("t"), SubscriptionOptions.of(QoS.AT_LEAST_ONCE)).join();
        sessions.enqueue(message("t", "m", QoS.AT_LEAST_ONCE), List.of(recipient(id("short"), QoS.AT_LEAST_ONCE)), null).durable().join();
        sessions.close(id("short"), clock.instant(), Duration.ofSeconds(60)).join();
        sessions.close(id("forever"), clock.instant(), Duration.ofSeconds(SqlSessionStore.NEVER_EXPIRES_SECONDS)).join();

        clock.advance(Duration.ofSeconds(59));
        assertThat(sessions.expire(clock.instant()).join()).doesNotContain(id("short"));
        clock.advance(Duration.ofSeconds(1));
        assertThat(sessions.expire(clock.instant()).join()).contains(id("short")).doesNotContain(id("connected"), id("forever"));
        assertThat(sessions.pending(id("short"), 0, 10)).isEmpty();
        assertThat(sessions.open(id("short"), false, Duration.ofSeconds(60)).join().present()).isFalse();
        clock.advance(Duration.ofDays(3650));
        assertThat(sessions.expire(clock.instant()).join()).doesNotContain(id("connected"), id("forever"));
    }

    @Test
    void aSessionWhoseExpiryPassedIsNotResumedEvenBeforeTheSweep() {
        sessions.open(id("a"), false, Duration.ofSeconds(5)).join();
        sessions.subscribe(id("a"), new TopicFilter("t"), SubscriptionOptions.of(QoS.AT_LEAST_ONCE)).join();
        sessions.close(id("a"), clock.instant(), Duration.ofSeconds(5)).join();
        clock.advance(Duration.ofSeconds(6));
        StoredSession reopened = sessions.open(id("a"), false, Duration.ofSeconds(5)).join();
        assertThat(reopened.present()).isFalse();
        assertThat(reopened.subscriptions()).isEmpty();
    }

    @Test
    void disconnectWithZeroExpiryDeletesTheSession() {
        sessions.open(id("a"), false, Duration.ofHours(1)).join();
        sessions.close(id("a"), clock.instant(), Duration.ZERO).join();
        assertThat(sessions.open(id("a"), false, Duration.ofHours(1)).join().present()).isFalse();
        assertThatThrownBy(() -> sessions.close(id("a"), clock.instant(), Duration.ofSeconds(-1)))
                .hasMessageContaining("must not be negative");
    }

    @Test
    void trimmingKeepsTheNewestQueuedDeliveriesAndEveryInFlightOne() {
        sessions.open(id("slow"), false, Duration.ofHours(1)).join();
        sessions.open(id("fast"), false, Duration.ofHours(1)).join();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Enqueued enqueued = sessions.enqueue(message("t", "m" + i, QoS.AT_LEAST_ONCE),
                    List.of(recipient(id("slow"), QoS.AT_LEAST_ONCE)), null);
            enqueued.durable().join();
            ids.add(enqueued.messageId());
        }
        sessions.markSent(id("slow"), ids.getFirst(), 1).join();
        sessions.enqueue(message("t", "f", QoS.AT_LEAST_ONCE), List.of(recipient(id("fast"), QoS.AT_LEAST_ONCE)), null).durable().join();

        int dropped = sessions.trimQueues(3).join();

        // Other tests' sessions share the database, so only a lower bound holds for the total.
        assertThat(dropped).isGreaterThanOrEqualTo(2);
        assertThat(sessions.pending(id("slow"), 0, 10)).extracting(SessionStoreContract::text).containsExactly("m0", "m3", "m4", "m5");
        assertThat(sessions.pending(id("fast"), 0, 10)).extracting(SessionStoreContract::text).containsExactly("f");
        assertThat(count("SELECT COUNT(*) FROM broker_messages WHERE id = " + ids.get(1))).isZero();
        assertThatThrownBy(() -> sessions.trimQueues(0)).hasMessageContaining("maxQueuedPerSession must be >= 1");
    }

    @Test
    void loadAllReturnsEveryStoredSessionWithItsSubscriptions() {
        sessions.open(id("a"), false, Duration.ofHours(1)).join();
        sessions.open(id("b"), false, Duration.ofHours(2)).join();
        sessions.subscribe(id("a"), new TopicFilter("x/+"), SubscriptionOptions.of(QoS.AT_LEAST_ONCE)).join();
        restart();
        List<StoredSession> loaded = new ArrayList<>();
        sessions.loadAll(loaded::add);
        assertThat(loaded).filteredOn(s -> s.clientId().equals(id("a"))).singleElement()
                .satisfies(s -> assertThat(s.subscriptions()).containsOnlyKeys(new TopicFilter("x/+")));
        assertThat(loaded).filteredOn(s -> s.clientId().equals(id("b"))).singleElement()
                .satisfies(s -> assertThat(s.expiry()).isEqualTo(Duration.ofHours(2)));
    }

    @Test
    void loadAllTellsWhenADisconnectedSessionExpiresAndNothingForOneInUseOrNeverExpiring() {
        sessions.open(id("closed"), false, Duration.ofMinutes(10)).join();
        sessions.close(id("closed"), clock.instant(), Duration.ofMinutes(10)).join();
        sessions.open(id("in-use"), false, Duration.ofMinutes(10)).join();
        sessions.open(id("forever"), false, Duration.ofSeconds(SqlSessionStore.NEVER_EXPIRES_SECONDS)).join();
        sessions.close(id("forever"), clock.instant(), Duration.ofSeconds(SqlSessionStore.NEVER_EXPIRES_SECONDS)).join();
        List<StoredSession> loaded = new ArrayList<>();
        sessions.loadAll(loaded::add);
        assertThat(loaded).filteredOn(s -> s.clientId().equals(id("closed"))).singleElement()
                .satisfies(s -> assertThat(s.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(10))));
        assertThat(loaded).filteredOn(s -> s.clientId().equals(id("in-use"))).singleElement()
                .satisfies(s -> assertThat(s.expiresAt()).isNull());
        assertThat(loaded).filteredOn(s -> s.clientId().equals(id("forever"))).singleElement()
                .satisfies(s -> assertThat(s.expiresAt()).isNull());
    }

    @Test
    void restartRebuildsTheIndexAndAnOfflineSubscriberGetsWhatWasPublishedMeanwhile() {
        // The broker's intended use: subscriptions in the store and the index, index rebuilt from loadAll after a restart.
        String device = id("device");
        sessions.open(device, false, Duration.ofHours(1)).join();
        TopicFilter commands = new TopicFilter("cmd/" + device + "/#");
        sessions.subscribe(device, commands, SubscriptionOptions.of(QoS.AT_LEAST_ONCE)).join();
        sessions.close(device, clock.instant(), Duration.ofHours(1)).join();

        restart();
        SubscriptionIndex index = new SubscriptionIndex();
        sessions.loadAll(session -> {
            // Other tests of the class share the database; index only this test's sessions.
            if (session.clientId().startsWith(client)) {
                session.subscriptions().forEach((filter, options) -> index.subscribe(session.clientId(), filter, options));
            }
        });
        Message command = message("cmd/" + device + "/reboot", "now", QoS.EXACTLY_ONCE);
        List<Recipient> recipients = index.match(command.topic(), "operator", clientId -> false);
        assertThat(recipients).extracting(Recipient::clientId).containsExactly(device);
        sessions.enqueue(command, recipients, null).durable().join();

        restart();
        StoredSession resumed = sessions.open(device, false, Duration.ofHours(1)).join();
        assertThat(resumed.present()).isTrue();
        assertThat(sessions.pending(device, 0, 10)).singleElement().satisfies(d -> {
            assertThat(text(d)).isEqualTo("now");
            assertThat(d.message().qos()).isEqualTo(QoS.AT_LEAST_ONCE);
        });
    }

    @Test
    void concurrentWritersAllBecomeDurable() throws Exception {
        int threads = 8;
        int perThread = 150;
        sessions.open(id("sink"), false, Duration.ofHours(1)).join();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<CompletableFuture<Void>>>> submitted = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            submitted.add(pool.submit(() -> {
                List<CompletableFuture<Void>> futures = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    futures.add(sessions.enqueue(message("t/" + thread, thread + ":" + i, QoS.AT_LEAST_ONCE),
                            List.of(recipient(id("sink"), QoS.AT_LEAST_ONCE)), null).durable());
                }
                return futures;
            }));
        }
        for (Future<List<CompletableFuture<Void>>> future : submitted) {
            future.get().forEach(CompletableFuture::join);
        }
        pool.shutdown();
        restart();
        List<QueuedDelivery> pending = sessions.pending(id("sink"), 0, threads * perThread + 1);
        assertThat(pending).hasSize(threads * perThread);
        // Each writer's messages stay in the order it published them (MQTT 5 §4.6 ordering per topic).
        for (int t = 0; t < threads; t++) {
            String prefix = t + ":";
            List<Integer> order = pending.stream().map(SessionStoreContract::text).filter(s -> s.startsWith(prefix))
                    .map(s -> Integer.parseInt(s.substring(prefix.length()))).toList();
            assertThat(order).isSorted().hasSize(perThread);
        }
    }
}
