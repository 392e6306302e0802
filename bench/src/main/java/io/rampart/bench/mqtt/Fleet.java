package io.rampart.bench.mqtt;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Connected bench clients. Closing disconnects them; persistent sessions are ended on the way out (DISCONNECT with
 * session expiry 0) so that no session outlives the run on the broker.
 */
final class Fleet implements AutoCloseable {
    /** Keep-alive every bench client asks for (inside AWS's 30..1200 s). */
    static final int KEEP_ALIVE_SECONDS = 60;
    /** Session expiry of persistent sessions: long enough for any run, short enough to clean up after a crash. */
    static final long SESSION_EXPIRY_SECONDS = 600;

    /** Whether a client asks for a clean or a persistent session. */
    enum Sessions { CLEAN, PERSISTENT }

    private final List<Mqtt5AsyncClient> clients;
    private final Sessions sessions;
    private final int failed;
    private final Throwable firstFailure;

    private Fleet(List<Mqtt5AsyncClient> clients, Sessions sessions, int failed, Throwable firstFailure) {
        this.clients = clients;
        this.sessions = sessions;
        this.failed = failed;
        this.firstFailure = firstFailure;
    }

    /**
     * Connects {@code count} clients with ids {@code idPrefix-0..}, at most {@code concurrency} CONNECTs in flight,
     * each given {@code timeout}. Failed connects are counted, not thrown; see {@link #requireAll()}.
     */
    static Fleet connect(Endpoint endpoint, String idPrefix, int count, int concurrency, Sessions sessions, Duration timeout) {
        List<Mqtt5AsyncClient> connected = java.util.Collections.synchronizedList(new ArrayList<>(count));
        Semaphore slots = new Semaphore(concurrency);
        AtomicInteger failures = new AtomicInteger();
        AtomicReference<Throwable> first = new AtomicReference<>();
        List<CompletableFuture<?>> pending = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                slots.acquire();
                Mqtt5AsyncClient client = endpoint.client(idPrefix + "-" + i);
                CompletableFuture<?> connect = client.connectWith()
                        .cleanStart(sessions == Sessions.CLEAN)
                        .sessionExpiryInterval(sessions == Sessions.CLEAN ? 0 : SESSION_EXPIRY_SECONDS)
                        .keepAlive(KEEP_ALIVE_SECONDS)
                        .send()
                        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                        .whenComplete((connAck, error) -> {
                            slots.release();
                            if (error == null) {
                                connected.add(client);
                            } else {
                                failures.incrementAndGet();
                                first.compareAndSet(null, error);
                            }
                        });
                pending.add(connect);
            }
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).exceptionally(error -> null).join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting", e);
        }
        return new Fleet(new ArrayList<>(connected), sessions, failures.get(), first.get());
    }

    /** Connected clients, in no particular order. */
    List<Mqtt5AsyncClient> clients() {
        return clients;
    }

    int connected() {
        return clients.size();
    }

    int failed() {
        return failed;
    }

    /** This fleet, or an exception naming the first connect failure when any client did not connect. */
    Fleet requireAll() {
        if (failed > 0) {
            close();
            throw new IllegalStateException(failed + " of " + (failed + clients.size()) + " clients could not connect; first: "
                    + firstFailure, firstFailure);
        }
        return this;
    }

    @Override
    public void close() {
        List<CompletableFuture<Void>> disconnects = new ArrayList<>(clients.size());
        for (Mqtt5AsyncClient client : clients) {
            disconnects.add(sessions == Sessions.PERSISTENT
                    ? client.disconnectWith().sessionExpiryInterval(0).send()
                    : client.disconnect());
        }
        try {
            CompletableFuture.allOf(disconnects.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while disconnecting", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a bench client could not disconnect cleanly (did the broker drop it?): "
                    + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("bench clients did not disconnect within 30 s", e);
        }
    }
}
