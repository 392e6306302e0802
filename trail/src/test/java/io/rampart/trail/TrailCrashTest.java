package io.rampart.trail;

import static org.assertj.core.api.Assertions.assertThat;

import io.rampart.common.Page;
import io.rampart.pki.Pem;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrailCrashTest {
    @TempDir
    Path root;

    @Test
    void aWriterKilledMidWriteLeavesAVerifiableTrailThatAReopenedWriterContinues() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashingWriter.class.getName(), root.toString()).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
            assertThat(out.readLine()).isEqualTo("started");
            Path trailDir = root.resolve("trail");
            // Let it write for a while (at least a few hundred records), then kill -9.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (sizeOf(trailDir) < 200_000 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            process.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no final digest
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        Path dir = root.resolve("trail");
        var publicKey = Pem.parsePublicKey(Files.readString(dir.resolve(TrailConfig.PUBLIC_KEY_FILE)));
        VerificationReport afterCrash = TrailVerifier.verify(dir, publicKey, null, null);
        // A kill between two writes leaves whole records only; a kill inside one leaves a torn last line, which
        // must be reported as exactly that and nothing else.
        assertThat(afterCrash.problems()).allSatisfy(p ->
                assertThat(p.kind()).isEqualTo(VerificationReport.Kind.TRUNCATED_LAST_RECORD));
        assertThat(afterCrash.recordsChecked()).isGreaterThan(100);

        TrailConfig config = TrailConfig.defaults(dir, root.resolve("keys/trail-signing.p8"), "test-secret".toCharArray())
                .withSegmentMaxBytes(64 * 1024);
        try (FileTrail trail = FileTrail.open(config, Clock.systemUTC(), new SecureRandom())) {
            TrailRecord next = trail.record(TrailIntegrityTest.event(1));
            assertThat(next.seq()).isEqualTo(afterCrash.recordsChecked() + 1 + (afterCrash.ok() ? 0 : 1));
            assertThat(trail.lookup(new TrailQuery(null, null, "TrailRecovered", null, null, null, null), Page.Request.first(5))
                    .items()).hasSize(afterCrash.ok() ? 0 : 1);
        }
        assertThat(TrailVerifier.verify(dir, publicKey, null, null).problems()).isEmpty();
    }

    private static long sizeOf(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("segment-")).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
