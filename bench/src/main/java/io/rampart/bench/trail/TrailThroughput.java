package io.rampart.bench.trail;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.rampart.trail.FileTrail;
import io.rampart.trail.TrailConfig;
import io.rampart.trail.TrailEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sustained trail records per second with durability (every record fsynced before record() returns, group
 * commit across the writers). Usage: {@code TrailThroughput [threads=64] [seconds=10] [dir=temp]}. Each writer
 * is a virtual thread standing for one API request in flight.
 */
public final class TrailThroughput {
    private TrailThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("trail-bench");
        TrailConfig config = TrailConfig.defaults(dir.resolve("trail"), dir.resolve("keys/trail-signing.p8"),
                "bench secret".toCharArray());
        var params = JsonNodeFactory.instance.objectNode().put("thingName", "bench-thing").put("thingTypeName", "sensor");
        LongAdder done = new LongAdder();
        AtomicBoolean running = new AtomicBoolean(true);
        try (FileTrail trail = FileTrail.open(config, Clock.systemUTC(), new SecureRandom())) {
            Clock clock = Clock.systemUTC();
            Runnable writer = () -> {
                while (running.get()) {
                    trail.record(new TrailEvent(clock.instant(), TrailEvent.API_SOURCE, "CreateThing", "AKIAEXAMPLE",
                            "10.0.0.1", "aws-sdk-java/2", params, List.of("bench-thing"), 200, null, "req"));
                    done.increment();
                }
            };
            List<Thread> all = new java.util.ArrayList<>();
            for (int i = 0; i < threads; i++) {
                all.add(Thread.ofVirtual().start(writer));
            }
            Thread.sleep(2000); // warm-up
            long start = done.sum();
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long n = done.sum() - start;
            double elapsed = (System.nanoTime() - t0) / 1e9;
            running.set(false);
            for (Thread t : all) {
                t.join();
            }
            System.out.printf("%d writers, %d s: %.0f durable records/s (%d records)%n", threads, seconds, n / elapsed, n);
        }
    }
}
