package io.rampart.bench.broker;

import io.rampart.bench.ScratchDatabase;
import io.rampart.broker.store.BrokerStorage;
import io.rampart.broker.store.CommitSettings;
import io.rampart.broker.store.CommitStats;
import io.rampart.broker.store.Enqueued;
import io.rampart.broker.store.SessionStore;
import io.rampart.broker.subscriptions.Recipient;
import io.rampart.messaging.Message;
import io.rampart.messaging.QoS;
import io.rampart.messaging.Topic;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable QoS 1 messages per second through the broker's group-committed {@link SessionStore}: each message is
 * committed (fsync on SQLite, synchronous_commit on PostgreSQL) before its future completes, as a PUBACK requires.
 * Compare {@code pipelined} (many publishers with messages in flight, what a busy broker sees) and
 * {@code sixteenPublishers} (each waits for its PUBACK before the next message) with {@code transactionPerMessage},
 * the same rows written with one transaction per message. PostgreSQL runs in a throw-away schema of
 * {@code RAMPART_BENCH_POSTGRES_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class GroupCommitBenchmark {
    private static final int PIPELINE = 1_000;
    private static final byte[] PAYLOAD = new byte[64];

    @Param({"sqlite", "postgresql"})
    public String database;

    private ScratchDatabase scratch;
    private BrokerStorage storage;
    private SessionStore sessions;
    private List<Recipient> recipients;
    private final AtomicLong singles = new AtomicLong(1L << 40);

    @Setup(Level.Trial)
    public void open() throws IOException, SQLException {
        scratch = ScratchDatabase.open(database, "broker.db");
        storage = BrokerStorage.open(scratch.database(), Clock.systemUTC(), CommitSettings.DEFAULTS);
        sessions = storage.sessions();
        sessions.open("bench-subscriber", false, Duration.ofHours(1)).join();
        recipients = List.of(new Recipient("bench-subscriber", QoS.AT_LEAST_ONCE, false, List.of(), null));
    }

    @TearDown(Level.Trial)
    public void close() throws IOException, SQLException {
        CommitStats stats = storage.stats();
        System.out.printf("%n[%s] group commit: %d writes in %d transactions (%.1f writes/transaction), %d failed%n",
                database, stats.writes(), stats.transactions(), stats.writesPerTransaction(), stats.failedWrites());
        storage.close();
        scratch.close();
    }

    private Message message(int i) {
        return Message.of(new Topic("telemetry/bench/" + (i & 63)), PAYLOAD, QoS.AT_LEAST_ONCE, false);
    }

    /** 1,000 messages in flight (many connections' windows), then wait for all: messages/s. */
    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public void pipelined() {
        CompletableFuture<?>[] futures = new CompletableFuture<?>[PIPELINE];
        for (int i = 0; i < PIPELINE; i++) {
            futures[i] = sessions.enqueue(message(i), recipients, null).durable();
        }
        CompletableFuture.allOf(futures).join();
    }

    /** Online persistent subscriber: each message stored, then its delivery acknowledged (payload removed). */
    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public void pipelinedWithAcknowledgement() {
        CompletableFuture<?>[] futures = new CompletableFuture<?>[PIPELINE * 2];
        for (int i = 0; i < PIPELINE; i++) {
            Enqueued enqueued = sessions.enqueue(message(i), recipients, null);
            futures[2 * i] = enqueued.durable();
            futures[2 * i + 1] = sessions.acknowledge("bench-subscriber", enqueued.messageId());
        }
        CompletableFuture.allOf(futures).join();
    }

    /** Sixteen publishers each waiting for its acknowledgement before the next message. */
    @Benchmark
    @Threads(16)
    public void sixteenPublishers() {
        sessions.enqueue(message(0), recipients, null).durable().join();
    }

    /** Baseline without group commit: the same two rows in their own transaction per message. */
    @Benchmark
    public void transactionPerMessage() {
        long id = singles.incrementAndGet();
        scratch.database().inTransaction(c -> {
            try (PreparedStatement m = c.prepareStatement(
                    "INSERT INTO broker_messages (id, topic, payload, qos, retain, expires_at, properties) VALUES (?, ?, ?, 1, 0, NULL, NULL)");
                 PreparedStatement q = c.prepareStatement(
                    "INSERT INTO broker_queue (client_id, message_id, qos, retain, subscription_ids, state, packet_id) VALUES (?, ?, 1, 0, NULL, 0, 0)")) {
                m.setLong(1, id);
                m.setString(2, "telemetry/bench/0");
                m.setBytes(3, PAYLOAD);
                m.executeUpdate();
                q.setString(1, "bench-subscriber");
                q.setLong(2, id);
                return q.executeUpdate();
            }
        });
    }


}
