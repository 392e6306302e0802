package io.rampart.broker.store;

import io.rampart.common.ErrorType;
import io.rampart.common.RampartException;
import io.rampart.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes writes durable with group commit: callers enqueue writes and get a future; one committer thread takes
 * every write waiting (up to {@code maxBatch}), applies them in submission order in ONE transaction, commits
 * (one fsync for the whole batch) and then completes each write's future.
 *
 * <p>Invariants:
 * <ol>
 *   <li>A future completes normally only after the transaction holding its write committed.</li>
 *   <li>Writes are applied in submission order. Consecutive writes of the same {@link Write#kind()} share JDBC
 *       batches (statement by statement, in the kind's {@link Write#statementOrder()}); a change of kind flushes,
 *       so writes of different kinds never overtake each other. Within a kind, the statement order must give the
 *       submission-order result for every sequence of that kind's writes (see {@code SqlSessionStore.PUBLISH_PATH}).</li>
 *   <li>When a batch fails, each of its writes is retried alone, so one bad write fails only its own future.</li>
 *   <li>Futures complete on the committer thread: callers continue with async stages on their own executor.</li>
 * </ol>
 */
final class GroupCommitter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);

    /** One unit of durable work, applied inside the batch transaction. */
    interface Write<T> {
        /** Writes with equal kinds may share JDBC batches (see invariant 2). */
        String kind();

        /**
         * The order in which this kind's batched statements run at a flush (statements not listed run after, in
         * first-use order). Kinds whose writes touch the same rows list their statements so that inserts run
         * before the updates and deletes of the same rows.
         */
        default List<String> statementOrder() {
            return List.of();
        }

        T apply(Statements statements) throws SQLException;
    }

    private final Database database;
    private final CommitSettings settings;
    private final ArrayBlockingQueue<Pending<?>> queue;
    private final Thread thread;
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong failedWrites = new AtomicLong();
    private volatile boolean running = true;

    GroupCommitter(Database database, CommitSettings settings) {
        this.database = database;
        this.settings = settings;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.thread = Thread.ofPlatform().name("rampart-broker-commit").daemon(true).unstarted(this::run);
        thread.start();
    }

    /** Queues {@code write}; the future completes after its commit, or fails with THROTTLING when the queue is full. */
    <T> CompletableFuture<T> submit(Write<T> write) {
        Pending<T> pending = new Pending<>(write);
        if (!running) {
            pending.future.completeExceptionally(new RampartException(ErrorType.SERVICE_UNAVAILABLE,
                    "the broker store is closed"));
        } else if (!queue.offer(pending)) {
            failedWrites.incrementAndGet();
            pending.future.completeExceptionally(new RampartException(ErrorType.THROTTLING,
                    "the broker store is saturated (" + settings.queueCapacity() + " writes waiting); retry later"));
        } else if (!running && queue.remove(pending)) {
            // close() ran between the check above and the offer: nobody would commit this write any more.
            pending.future.completeExceptionally(new RampartException(ErrorType.SERVICE_UNAVAILABLE,
                    "the broker store is closed"));
        }
        return pending.future;
    }

    CommitStats stats() {
        return new CommitStats(transactions.get(), writes.get(), failedWrites.get(), queue.size());
    }

    private void run() {
        List<Pending<?>> batch = new ArrayList<>(settings.maxBatch());
        while (running || !queue.isEmpty()) {
            try {
                Pending<?> first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, settings.maxBatch() - 1);
                linger(batch);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                // Never let the committer die silently: fail what it held and keep serving.
                for (Pending<?> pending : batch) {
                    pending.future.completeExceptionally(e);
                }
                LOG.error("broker store committer failed a batch of {} writes", batch.size(), e);
            } finally {
                batch.clear();
            }
        }
    }

    private void linger(List<Pending<?>> batch) throws InterruptedException {
        long delayNanos = settings.maxDelay().toNanos();
        if (delayNanos == 0) {
            return;
        }
        long deadline = System.nanoTime() + delayNanos;
        while (batch.size() < settings.maxBatch()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Pending<?> next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            batch.add(next);
            queue.drainTo(batch, settings.maxBatch() - batch.size());
        }
    }

    private void commit(List<Pending<?>> batch) {
        try {
            database.inTransaction(connection -> {
                try (Statements statements = new Statements(connection)) {
                    for (Pending<?> pending : batch) {
                        statements.begin(pending.write.kind(), pending.write.statementOrder());
                        pending.apply(statements);
                    }
                    statements.flush();
                }
                return null;
            });
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                fail(batch.getFirst(), e);
                return;
            }
            // Invariant 3: find the bad write by committing each alone.
            LOG.warn("broker store batch of {} writes failed ({}); committing them one by one", batch.size(), e.getMessage());
            for (Pending<?> pending : batch) {
                commit(List.of(pending));
            }
            return;
        }
        transactions.incrementAndGet();
        writes.addAndGet(batch.size());
        for (Pending<?> pending : batch) {
            pending.complete();
        }
    }

    private void fail(Pending<?> pending, RuntimeException e) {
        failedWrites.incrementAndGet();
        pending.future.completeExceptionally(e);
    }

    /** Stops taking writes, commits everything already queued, then stops the thread. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Pending<?> left;
        while ((left = queue.poll()) != null) {
            left.future.completeExceptionally(new RampartException(ErrorType.SERVICE_UNAVAILABLE, "the broker store is closed"));
        }
    }

    private static final class Pending<T> {
        final Write<T> write;
        final CompletableFuture<T> future = new CompletableFuture<>();
        T result;

        Pending(Write<T> write) {
            this.write = write;
        }

        void apply(Statements statements) throws SQLException {
            // Recomputed on every attempt: Database.inTransaction may retry the whole batch.
            result = write.apply(statements);
        }

        void complete() {
            future.complete(result);
        }
    }

    /**
     * Prepared statements of one transaction. {@link #batched} adds to a JDBC batch executed at the next
     * {@link #flush()}; {@link #now} flushes first and returns a statement to execute at once.
     */
    static final class Statements implements AutoCloseable {
        private final Connection connection;
        private final Map<String, PreparedStatement> prepared = new LinkedHashMap<>();
        private final Map<String, PreparedStatement> pendingBatches = new LinkedHashMap<>();
        private String kind;
        private List<String> order = List.of();

        Statements(Connection connection) {
            this.connection = connection;
        }

        void begin(String nextKind, List<String> statementOrder) throws SQLException {
            if (!nextKind.equals(kind)) {
                flush();
                kind = nextKind;
                order = statementOrder;
            }
        }

        /** A statement whose parameters are bound and then {@code addBatch()}ed by the caller. */
        PreparedStatement batched(String sql) throws SQLException {
            PreparedStatement statement = prepare(sql);
            pendingBatches.putIfAbsent(sql, statement);
            return statement;
        }

        /** A statement to execute immediately, after every pending batch. */
        PreparedStatement now(String sql) throws SQLException {
            flush();
            return prepare(sql);
        }

        Connection connection() throws SQLException {
            flush();
            return connection;
        }

        void flush() throws SQLException {
            if (pendingBatches.isEmpty()) {
                return;
            }
            List<Map.Entry<String, PreparedStatement>> batches = new ArrayList<>(pendingBatches.entrySet());
            // Stable sort: listed statements by their rank, the others after them in first-use order.
            batches.sort(Comparator.comparingInt(entry -> {
                int rank = order.indexOf(entry.getKey());
                return rank < 0 ? Integer.MAX_VALUE : rank;
            }));
            for (Map.Entry<String, PreparedStatement> batch : batches) {
                batch.getValue().executeBatch();
            }
            pendingBatches.clear();
        }

        private PreparedStatement prepare(String sql) throws SQLException {
            PreparedStatement statement = prepared.get(sql);
            if (statement == null) {
                statement = connection.prepareStatement(sql);
                prepared.put(sql, statement);
            }
            return statement;
        }

        @Override
        public void close() throws SQLException {
            SQLException failure = null;
            for (PreparedStatement statement : prepared.values()) {
                try {
                    statement.close();
                } catch (SQLException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }
}
