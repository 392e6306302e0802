package io.rampart.trail;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.rampart.common.Page;
import io.rampart.pki.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrailIntegrityTest {
    @TempDir
    Path root;
    Path dir;
    TrailConfig config;

    @BeforeEach
    void setUp() {
        dir = root.resolve("trail");
        config = TrailConfig.defaults(dir, root.resolve("keys/trail-signing.p8"), "test-secret".toCharArray())
                .withSegmentMaxBytes(4096);
    }

    static TrailEvent event(int i) {
        var params = JsonNodeFactory.instance.objectNode().put("thingName", "thing-" + i);
        return new TrailEvent(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i), TrailEvent.API_SOURCE,
                i % 2 == 0 ? "CreateThing" : "DescribeThing", "AKIA" + (i % 3), "10.0.0." + (i % 5), "sdk", params,
                List.of("thing/thing-" + i), 200, null, "req-" + i);
    }

    /** Writes n events with a digest in the middle and on close; returns nothing, the files are the result. */
    void writeTrail(int n) {
        try (FileTrail trail = FileTrail.open(config, Clock.systemUTC(), new SecureRandom())) {
            for (int i = 0; i < n; i++) {
                trail.record(event(i));
                if (i == n / 2) {
                    trail.digest();
                }
            }
        }
    }

    PublicKey publicKey() throws IOException {
        return Pem.parsePublicKey(Files.readString(dir.resolve(TrailConfig.PUBLIC_KEY_FILE)));
    }

    VerificationReport verify() throws IOException {
        return TrailVerifier.verify(dir, publicKey(), null, null);
    }

    List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("segment-")).sorted().toList();
        }
    }

    List<String> lines(Path file) throws IOException {
        return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    void write(Path file, List<String> lines) throws IOException {
        Files.writeString(file, String.join("\n", lines) + "\n");
    }

    @Test
    void untouchedTrailVerifies() throws IOException {
        writeTrail(60);
        assertThat(segments()).hasSizeGreaterThan(2);
        VerificationReport report = verify();
        assertThat(report.problems()).isEmpty();
        assertThat(report.recordsChecked()).isEqualTo(62); // 60 events + 2 TrailDigest records
        assertThat(report.digestsChecked()).isEqualTo(2);
    }

    @Test
    void oneChangedByteIsNamedAsTheModifiedRecord() throws IOException {
        writeTrail(60);
        Path segment = segments().get(1);
        List<String> lines = lines(segment);
        lines.set(2, lines.get(2).replace("\"thing-", "\"thinG-"));
        write(segment, lines);
        VerificationReport report = verify();
        assertThat(report.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(VerificationReport.Kind.RECORD_MODIFIED);
            assertThat(p.file()).isEqualTo(segment.getFileName().toString());
            assertThat(p.line()).isEqualTo(3);
        });
    }

    @Test
    void aDeletedRecordIsNamedBySequenceNumber() throws IOException {
        writeTrail(60);
        Path segment = segments().get(1);
        List<String> lines = lines(segment);
        long seq = TrailFormat.number(segment.getFileName().toString()) + 3;
        lines.remove(3);
        write(segment, lines);
        assertThat(verify().problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(VerificationReport.Kind.RECORD_DELETED);
            assertThat(p.seq()).isEqualTo(seq);
        });
    }

    @Test
    void twoSwappedRecordsAreNamedAsReordered() throws IOException {
        writeTrail(60);
        Path segment = segments().get(1);
        List<String> lines = lines(segment);
        String a = lines.get(4);
        lines.set(4, lines.get(5));
        lines.set(5, a);
        write(segment, lines);
        long first = TrailFormat.number(segment.getFileName().toString());
        assertThat(verify().problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(VerificationReport.Kind.RECORD_REORDERED);
            assertThat(p.line()).isEqualTo(5);
            assertThat(p.message()).contains("seq " + (first + 5)).contains("seq " + (first + 4));
        });
    }

    @Test
    void anInsertedRecordIsNamed() throws IOException {
        writeTrail(60);
        Path segment = segments().get(1);
        List<String> lines = lines(segment);
        lines.add(3, lines.get(1));
        write(segment, lines);
        assertThat(verify().problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(VerificationReport.Kind.RECORD_INSERTED);
            assertThat(p.line()).isEqualTo(4);
        });
    }

    @Test
    void aRemovedSegmentIsNamed() throws IOException {
        writeTrail(60);
        Path segment = segments().get(1);
        Files.delete(segment);
        assertThat(verify().problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(VerificationReport.Kind.SEGMENT_MISSING);
            assertThat(p.file()).isEqualTo(segment.getFileName().toString());
        });
    }

    @Test
    void aRemovedDigestIsNamed() throws IOException {
        writeTrail(60);
        Files.delete(dir.resolve(TrailFormat.digestName(1)));
        assertThat(verify().problems()).extracting(VerificationReport.Problem::kind, VerificationReport.Problem::file)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(VerificationReport.Kind.DIGEST_MISSING, "digest-0000000001.json"));
    }

    @Test
    void removingTheNewestDigestIsDetectedThroughTheChain() throws IOException {
        writeTrail(60);
        Files.delete(dir.resolve(TrailFormat.digestName(2)));
        assertThat(verify().problems()).extracting(VerificationReport.Problem::kind)
                .containsExactly(VerificationReport.Kind.DIGEST_MISSING);
    }

    @Test
    void anAlteredDigestFailsItsSignature() throws IOException {
        writeTrail(60);
        Path digest = dir.resolve(TrailFormat.digestName(1));
        Files.writeString(digest, Files.readString(digest).replace("\"records\":", "\"records\":1"));
        assertThat(verify().problems()).extracting(VerificationReport.Problem::kind)
                .contains(VerificationReport.Kind.DIGEST_BAD_SIGNATURE);
    }

    @Test
    void aRewrittenTailIsCaughtByTheSignedSegmentHash() throws IOException {
        writeTrail(60);
        // Drop the last records of the newest segment (including digest 2's record): the chain alone is still
        // consistent, but digest 2 signed a different end.
        Path last = segments().getLast();
        List<String> lines = lines(last);
        write(last, lines.subList(0, lines.size() - 3));
        assertThat(verify().problems()).extracting(VerificationReport.Problem::kind)
                .containsExactly(VerificationReport.Kind.SEGMENT_MODIFIED);
    }

    @Test
    void aTornLastRecordIsReportedAsTruncatedAndTheReopenedWriterContinuesAValidChain() throws IOException {
        writeTrail(20);
        Path last = segments().getLast();
        byte[] bytes = Files.readAllBytes(last);
        Files.write(last, java.util.Arrays.copyOf(bytes, bytes.length - 40));
        assertThat(verify().problems()).singleElement().satisfies(p ->
                assertThat(p.kind()).isEqualTo(VerificationReport.Kind.TRUNCATED_LAST_RECORD));
        try (FileTrail trail = FileTrail.open(config, Clock.systemUTC(), new SecureRandom())) {
            trail.record(event(100));
            Page<TrailRecord> recovered = trail.lookup(new TrailQuery(null, null, "TrailRecovered", null, null, null, null),
                    Page.Request.first(10));
            assertThat(recovered.items()).singleElement().satisfies(r ->
                    assertThat(r.event().requestParameters().path("truncatedBytes").asLong()).isPositive());
        }
        assertThat(verify().problems()).isEmpty();
    }

    @Test
    void retentionDeletesWholeOldSegmentsAndWhatRemainsVerifies() throws IOException {
        config = config.withRetention(null, 8192);
        writeTrail(80);
        try (FileTrail trail = FileTrail.open(config, Clock.systemUTC(), new SecureRandom())) {
            trail.record(event(200));
            trail.digest();
        }
        assertThat(segments()).extracting(p -> TrailFormat.number(p.getFileName().toString())).doesNotContain(1L);
        assertThat(verify().problems()).isEmpty();
    }

    @Test
    void lookupFiltersAndPagesNewestFirst() {
        writeTrail(30);
        try (FileTrail trail = FileTrail.open(config, Clock.systemUTC(), new SecureRandom())) {
            TrailQuery query = new TrailQuery(null, null, "CreateThing", "AKIA0", null, null, null);
            Page<TrailRecord> first = trail.lookup(query, Page.Request.first(2));
            assertThat(first.items()).extracting(r -> r.event().requestId()).containsExactly("req-24", "req-18");
            Page<TrailRecord> second = trail.lookup(query, new Page.Request(10, first.nextToken()));
            assertThat(second.items()).extracting(r -> r.event().requestId()).containsExactly("req-12", "req-6", "req-0");
            assertThat(second.nextToken()).isNull();
            assertThat(trail.lookup(new TrailQuery(null, null, null, null, "thing/thing-7", null, null), Page.Request.first(5)).items())
                    .extracting(r -> r.event().requestId()).containsExactly("req-7");
            assertThat(trail.lookup(new TrailQuery(Instant.parse("2026-01-01T00:00:28Z"), null, null, null, null, "10.0.0.4", null),
                    Page.Request.first(5)).items()).extracting(r -> r.event().requestId()).containsExactly("req-29");
            assertThat(trail.lookup(new TrailQuery(null, null, null, null, null, null, TrailEvent.API_SOURCE),
                    Page.Request.first(100)).items()).hasSize(30);
            assertThat(trail.lookup(new TrailQuery(null, null, null, null, null, null, TrailEvent.TRAIL_SOURCE),
                    Page.Request.first(100)).items()).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.event().eventName()).isEqualTo("TrailDigest"));
        }
    }

    @Test
    void aBadNextTokenIsAnInvalidRequest() {
        writeTrail(3);
        try (FileTrail trail = FileTrail.open(config, Clock.systemUTC(), new SecureRandom())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> trail.lookup(TrailQuery.all(), new Page.Request(5, "abc")))
                    .isInstanceOf(io.rampart.common.RampartException.class).hasMessageContaining("nextToken");
        }
    }

    @Test
    void secretsAreRedactedAtAnyDepth() {
        var body = JsonNodeFactory.instance.objectNode();
        body.putObject("keyPair").put("PrivateKey", "-----BEGIN PRIVATE KEY-----x").put("PublicKey", "pub");
        body.put("secretAccessKey", "s3cr3t").put("certificatePem", "-----BEGIN CERTIFICATE-----").put("nextToken", "5");
        body.putArray("items").addObject().put("dbPassword", "pw");
        String redacted = Redaction.redact(body).toString();
        assertThat(redacted).doesNotContain("PRIVATE KEY", "s3cr3t", "\"pw\"").contains("pub", "BEGIN CERTIFICATE", "\"5\"");
    }

    @Test
    void verifyLimitedToATimeRangeChecksOnlyThoseSegments() throws IOException {
        writeTrail(60);
        VerificationReport all = verify();
        VerificationReport part = TrailVerifier.verify(dir, publicKey(), Instant.parse("2026-01-01T00:00:30Z"),
                Instant.parse("2026-01-01T00:00:40Z"));
        assertThat(part.problems()).isEmpty();
        assertThat(part.recordsChecked()).isPositive().isLessThan(all.recordsChecked());
        // Damage outside the range is not reported; damage inside is.
        Path first = segments().getFirst();
        List<String> lines = lines(first);
        lines.set(0, lines.get(0).replace("thing-0", "thing-X"));
        write(first, lines);
        assertThat(TrailVerifier.verify(dir, publicKey(), Instant.parse("2026-01-01T00:00:30Z"),
                Instant.parse("2026-01-01T00:00:40Z")).problems()).isEmpty();
        assertThat(verify().problems()).extracting(VerificationReport.Problem::kind)
                .containsExactly(VerificationReport.Kind.RECORD_MODIFIED);
    }

    @Test
    void retentionByAgeKeepsTheActiveSegmentAndWhatRemainsVerifies() throws IOException {
        // The test events are dated 2026-01-01: with a one-day age limit every closed segment is out of date.
        config = config.withRetention(Duration.ofDays(1), 0);
        writeTrail(60);
        List<Path> remaining = segments();
        assertThat(remaining).hasSizeLessThanOrEqualTo(2);
        assertThat(TrailFormat.number(remaining.getFirst().getFileName().toString())).isGreaterThan(1);
        assertThat(verify().problems()).isEmpty();
    }
}
