package io.rampart.trail;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;

/** Test main: records events in a loop from several threads until it is killed (kill -9 by the test). */
public final class CrashingWriter {
    private CrashingWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        TrailConfig config = TrailConfig.defaults(dir.resolve("trail"), dir.resolve("keys/trail-signing.p8"),
                "test-secret".toCharArray()).withSegmentMaxBytes(64 * 1024);
        FileTrail trail = FileTrail.open(config, Clock.systemUTC(), new SecureRandom());
        System.out.println("started");
        System.out.flush();
        Runnable loop = () -> {
            for (int i = 0; ; i++) {
                trail.record(TrailIntegrityTest.event(i));
            }
        };
        for (int t = 0; t < 3; t++) {
            Thread.ofPlatform().start(loop);
        }
        loop.run();
    }
}
