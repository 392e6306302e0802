package io.rampart.broker.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.rampart.messaging.Topic;
import io.rampart.store.TestDatabase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Durability across {@code kill -9}: a child JVM publishes through the real store and prints what it acknowledged;
 * it is SIGKILLed mid-stream; every acknowledged message must then be in the subscriber's queue (and every
 * acknowledged retained message in the retained store).
 */
abstract class KillNineContract {
    private static final int ACKS_BEFORE_KILL = 3_000;

    private final TestDatabase db;

    KillNineContract(TestDatabase db) {
        this.db = db;
    }

    @Test
    void everyAcknowledgedMessageSurvivesKillDashNine() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), AcknowledgingPublisher.class.getName(), db.jdbcUrl())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<String> acknowledged = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean killed = false;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    acknowledged.add(line.substring(4));
                }
                if (!killed && acknowledged.size() >= ACKS_BEFORE_KILL) {
                    // SIGKILL through the handle (Process.destroyForcibly would also close our end of the pipe):
                    // no shutdown hook, no committer drain, no pool close.
                    child.toHandle().destroyForcibly();
                    killed = true;
                }
            }
            // Lines still in the pipe after the kill were printed after their commit: they count too.
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(acknowledged).as("the child acknowledged messages before it was killed").hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);

        try (BrokerStorage storage = BrokerStorage.open(db.reopen(), Clock.systemUTC(), CommitSettings.DEFAULTS)) {
            Set<String> stored = new HashSet<>();
            long after = 0;
            while (true) {
                List<QueuedDelivery> page = storage.sessions().pending(AcknowledgingPublisher.SUBSCRIBER, after, 1_000);
                if (page.isEmpty()) {
                    break;
                }
                page.forEach(d -> stored.add(new String(d.message().payload(), StandardCharsets.UTF_8)));
                after = page.getLast().messageId();
            }
            assertThat(stored).containsAll(acknowledged);
            for (String payload : acknowledged) {
                String[] parts = payload.split(":");
                if (Integer.parseInt(parts[1]) % 10 == 0) {
                    Topic topic = AcknowledgingPublisher.retainedTopic(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
                    assertThat(storage.retained().get(topic, Instant.now())).as("retained message on %s", topic).isPresent();
                }
            }
        }
    }
}
