package io.rampart.broker.store;

import io.rampart.store.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rampart.broker.subscriptions.Recipient;
import io.rampart.common.ErrorType;
import io.rampart.common.RampartException;
import io.rampart.messaging.Message;
import io.rampart.messaging.QoS;
import io.rampart.messaging.SubscriptionOptions;
import io.rampart.messaging.Topic;
import io.rampart.messaging.TopicFilter;
import io.rampart.store.DatabaseTest;
import io.rampart.store.Dialect;
import io.rampart.store.TestDatabase;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Group-commit mechanics, made deterministic by holding the committer inside a first write while the next writes
 * queue up behind it.
 */
@DatabaseTest(Dialect.SQLITE)
class GroupCommitterTest {
    private final TestDatabase db;
    private final List<GroupCommitter> committers = new ArrayList<>();

    GroupCommitterTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void migrate() {
        db.database().migrate(BrokerStorage.COMPONENT);
    }

    @AfterEach
    void close() {
        committers.forEach(GroupCommitter::close);
    }

    private GroupCommitter committer(CommitSettings settings) {
        GroupCommitter committer = new GroupCommitter(db.database(), settings);
        committers.add(committer);
        return committer;
    }

    /** Submits a write that blocks the committer until {@code release} opens; returns once the committer holds it. */
    private CompletableFuture<Object> hold(GroupCommitter committer, CountDownLatch release) throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        CompletableFuture<Object> held = committer.submit(SqlSessionStore.write("hold", statements -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        entered.await();
        return held;
    }

    @Test
    void writesQueuedDuringACommitShareTheNextTransaction() throws Exception {
        GroupCommitter committer = committer(CommitSettings.DEFAULTS);
        SqlSessionStore sessions = new SqlSessionStore(committer, db.database(), new MessageIds(db.database()), Clock.systemUTC());
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Object> held = hold(committer, release);
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            writes.add(sessions.subscribe("c" + i, new TopicFilter("t/" + i), SubscriptionOptions.of(QoS.AT_LEAST_ONCE)));
        }
        assertThat(writes).noneMatch(CompletableFuture::isDone);
        release.countDown();
        held.join();
        writes.forEach(CompletableFuture::join);

        CommitStats stats = committer.stats();
        assertThat(stats.transactions()).isEqualTo(2);
        assertThat(stats.writes()).isEqualTo(101);
        assertThat(stats.writesPerTransaction()).isEqualTo(50.5);
    }

    @Test
    void maxBatchBoundsATransaction() throws Exception {
        GroupCommitter committer = committer(new CommitSettings(10, Duration.ZERO, 100));
        SqlSessionStore sessions = new SqlSessionStore(committer, db.database(), new MessageIds(db.database()), Clock.systemUTC());
        CountDownLatch release = new CountDownLatch(1);
        hold(committer, release);
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < 35; i++) {
            writes.add(sessions.subscribe("m" + i, new TopicFilter("t"), SubscriptionOptions.of(QoS.AT_LEAST_ONCE)));
        }
        release.countDown();
        writes.forEach(CompletableFuture::join);
        assertThat(committer.stats().transactions()).isEqualTo(1 + 4);
    }

    @Test
    void maxDelayWaitsForMoreWritesUpToMaxBatch() {
        // A first write alone would wait up to an hour for company; the batch fills at three and commits at once.
        GroupCommitter committer = committer(new CommitSettings(3, Duration.ofHours(1), 10));
        List<CompletableFuture<Object>> writes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            writes.add(committer.submit(SqlSessionStore.write("x", s -> null)));
        }
        writes.forEach(CompletableFuture::join);
        assertThat(committer.stats().transactions()).isEqualTo(1);
        assertThat(committer.stats().writes()).isEqualTo(3);
    }

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> new CommitSettings(0, Duration.ZERO, 10)).hasMessageContaining("maxBatch must be >= 1");
        assertThatThrownBy(() -> new CommitSettings(10, Duration.ofMillis(-1), 10)).hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> new CommitSettings(10, Duration.ZERO, 5)).hasMessageContaining("queueCapacity (5) must be >= maxBatch (10)");
    }

    @Test
    void aFullQueueRefusesWritesWithThrottling() throws Exception {
        GroupCommitter committer = committer(new CommitSettings(1, Duration.ZERO, 2));
        CountDownLatch release = new CountDownLatch(1);
        hold(committer, release);
        CompletableFuture<Object> queued1 = committer.submit(SqlSessionStore.write("x", s -> null));
        CompletableFuture<Object> queued2 = committer.submit(SqlSessionStore.write("x", s -> null));
        CompletableFuture<Object> refused = committer.submit(SqlSessionStore.write("x", s -> null));

        assertThat(refused).isCompletedExceptionally();
        assertThatThrownBy(refused::join).cause().isInstanceOfSatisfying(RampartException.class,
                e -> assertThat(e.type()).isEqualTo(ErrorType.THROTTLING));
        release.countDown();
        queued1.join();
        queued2.join();
        assertThat(committer.stats().failedWrites()).isEqualTo(1);
    }

    @Test
    void aFailingWriteFailsAloneAndTheRestOfItsBatchCommits() throws Exception {
        GroupCommitter committer = committer(CommitSettings.DEFAULTS);
        SqlSessionStore sessions = new SqlSessionStore(committer, db.database(), new MessageIds(db.database()), Clock.systemUTC());
        CountDownLatch release = new CountDownLatch(1);
        hold(committer, release);
        CompletableFuture<Void> before = sessions.subscribe("ok1", new TopicFilter("a"), SubscriptionOptions.of(QoS.AT_LEAST_ONCE));
        CompletableFuture<Object> bad = committer.submit(SqlSessionStore.write("bad", s -> {
            throw new SQLException("broken write");
        }));
        CompletableFuture<Void> after = sessions.subscribe("ok2", new TopicFilter("a"), SubscriptionOptions.of(QoS.AT_LEAST_ONCE));
        release.countDown();

        before.join();
        after.join();
        assertThatThrownBy(bad::join).isInstanceOf(CompletionException.class).hasMessageContaining("broken write");
        List<String> stored = db.database().query(c -> {
            List<String> rows = new ArrayList<>();
            try (var select = c.prepareStatement("SELECT client_id || ':' || filter FROM broker_subscriptions "
                    + "WHERE client_id IN ('ok1', 'ok2')"); var row = select.executeQuery()) {
                while (row.next()) {
                    rows.add(row.getString(1));
                }
            }
            return rows;
        });
        assertThat(stored).containsExactlyInAnyOrder("ok1:a", "ok2:a");
    }

    @Test
    void writesInOneBatchApplyInSubmissionOrder() throws Exception {
        GroupCommitter committer = committer(CommitSettings.DEFAULTS);
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        SqlSessionStore sessions = new SqlSessionStore(committer, db.database(), new MessageIds(db.database()), clock);
        SqlRetainedStore retained = new SqlRetainedStore(committer, db.database(), clock);
        CountDownLatch release = new CountDownLatch(1);
        hold(committer, release);
        TopicFilter filter = new TopicFilter("order/x");
        sessions.open("order", false, Duration.ofHours(1));
        sessions.subscribe("order", filter, SubscriptionOptions.of(QoS.AT_MOST_ONCE));
        sessions.unsubscribe("order", filter);
        sessions.subscribe("order", filter, SubscriptionOptions.of(QoS.EXACTLY_ONCE));
        sessions.unsubscribe("order", new TopicFilter("order/y"));
        Topic topic = new Topic("order/retained");
        retained.retain(Message.of(topic, new byte[] {1}, QoS.AT_MOST_ONCE, true));
        retained.retain(Message.of(topic, new byte[0], QoS.AT_MOST_ONCE, true));
        CompletableFuture<Void> lastRetain = retained.retain(Message.of(topic, new byte[] {3}, QoS.AT_MOST_ONCE, true));
        // The publish path shares one kind: its statements are reordered, its outcome must not be.
        List<Recipient> to = List.of(
                new Recipient("order", QoS.EXACTLY_ONCE, false, List.of(), null));
        Message published = Message.of(new Topic("order/m"), new byte[] {7}, QoS.EXACTLY_ONCE, false);
        long acked = sessions.enqueue(published, to, null).messageId();
        sessions.markSent("order", acked, 11);
        long released = sessions.enqueue(published, to, null).messageId();
        sessions.acknowledge("order", acked);
        sessions.markSent("order", released, 12);
        sessions.markReleased("order", released);
        long queued = sessions.enqueue(published, to, new InboundPacket("order", 99)).messageId();
        sessions.releaseInbound("order", 99);
        CompletableFuture<Void> last = sessions.enqueue(published, to, new InboundPacket("order", 99)).durable();
        release.countDown();
        lastRetain.join();
        last.join();

        List<QueuedDelivery> pending = sessions.pending("order", 0, 10);
        assertThat(pending).extracting(QueuedDelivery::messageId).startsWith(released, queued).doesNotContain(acked);
        assertThat(pending.getFirst().state()).isEqualTo(DeliveryState.RELEASED);
        assertThat(pending.getFirst().packetId()).isEqualTo(12);
        assertThat(pending.get(1).state()).isEqualTo(DeliveryState.QUEUED);
        assertThat(sessions.open("order", false, Duration.ofHours(1)).join().inboundQos2PacketIds()).containsExactly(99);

        assertThat(sessions.open("order", false, Duration.ofHours(1)).join().subscriptions())
                .containsOnlyKeys(filter).containsValue(SubscriptionOptions.of(QoS.EXACTLY_ONCE));
        assertThat(retained.get(topic, clock.instant())).hasValueSatisfying(m -> assertThat(m.payload()).containsExactly(3));
    }

    @Test
    void closeCommitsWhatIsQueuedAndRefusesLaterWrites() throws Exception {
        GroupCommitter committer = committer(CommitSettings.DEFAULTS);
        SqlSessionStore sessions = new SqlSessionStore(committer, db.database(), new MessageIds(db.database()), Clock.systemUTC());
        CountDownLatch release = new CountDownLatch(1);
        hold(committer, release);
        CompletableFuture<Void> queued = sessions.subscribe("closing", new TopicFilter("z"), SubscriptionOptions.of(QoS.AT_LEAST_ONCE));
        Thread closer = Thread.ofPlatform().start(committer::close);
        release.countDown();
        closer.join();
        queued.join();
        CompletableFuture<Void> late = sessions.subscribe("closing", new TopicFilter("z2"), SubscriptionOptions.of(QoS.AT_LEAST_ONCE));
        assertThatThrownBy(late::join).cause().isInstanceOfSatisfying(RampartException.class,
                e -> assertThat(e.type()).isEqualTo(ErrorType.SERVICE_UNAVAILABLE));
    }
}
