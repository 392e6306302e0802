package io.rampart.broker.store;

import io.rampart.broker.subscriptions.Recipient;
import io.rampart.messaging.Message;
import io.rampart.messaging.QoS;
import io.rampart.messaging.Topic;
import io.rampart.store.Database;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Child process of {@link KillNineContract}: behaves like the broker on the QoS 1 hot path. Several publisher threads
 * enqueue messages for an offline persistent session (every 10th also retained) and print {@code ACK <t>:<i>} only
 * once the store's futures completed, which is when the broker would send PUBACK. It runs until killed.
 */
final class AcknowledgingPublisher {
    static final String SUBSCRIBER = "durable-subscriber";
    static final int THREADS = 4;

    private AcknowledgingPublisher() {
    }

    /** Each retained message gets its own topic, so every acknowledged one must still be there after the kill. */
    static Topic retainedTopic(int thread, int i) {
        return new Topic("kill/retained/" + thread + "/" + i);
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        Database database = Database.open(args[0]);
        BrokerStorage storage = BrokerStorage.open(database, Clock.systemUTC(), CommitSettings.DEFAULTS);
        storage.sessions().open(SUBSCRIBER, false, Duration.ofHours(1)).join();
        List<Recipient> recipients = List.of(new Recipient(SUBSCRIBER, QoS.AT_LEAST_ONCE, false, List.of(), null));
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            Thread.ofPlatform().start(() -> {
                // Like a receive maximum: a bounded number of unacknowledged publishes per publisher.
                Semaphore window = new Semaphore(100);
                for (int i = 0; ; i++) {
                    window.acquireUninterruptibly();
                    String payload = thread + ":" + i;
                    Message message = Message.of(new Topic("kill/" + thread), payload.getBytes(StandardCharsets.UTF_8),
                            QoS.AT_LEAST_ONCE, i % 10 == 0);
                    CompletableFuture<Void> durable = storage.sessions().enqueue(message, recipients, null).durable();
                    if (message.retain()) {
                        durable = CompletableFuture.allOf(durable,
                                storage.retained().retain(Message.of(retainedTopic(thread, i), message.payload(), QoS.AT_LEAST_ONCE, true)));
                    }
                    durable.whenComplete((ok, failure) -> {
                        window.release();
                        if (failure == null) {
                            synchronized (out) {
                                out.println("ACK " + payload);
                                out.flush();
                            }
                        }
                    });
                }
            });
        }
    }
}
