package io.rampart.trail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rampart.common.Json;
import io.rampart.trail.VerificationReport.Kind;
import io.rampart.trail.VerificationReport.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Offline verification of a trail directory: the record chain, the segments the signed digests name, and the
 * digest chain itself. Works on the files alone (no running node).
 *
 * <p>Limits, as with CloudTrail's validation: records written after the newest digest are protected by the chain
 * only, so removing them together with the digest records that would follow is detectable only by comparing with
 * an earlier copy of the newest digest.
 */
public final class TrailVerifier {
    private TrailVerifier() {
    }

    private record Entry(String file, long line, TrailFormat.Line record) {
    }

    /**
     * Verifies the trail; {@code from}/{@code to} (nullable) limit the check to segments and digests overlapping that
     * time range, the chain being checked across the whole of each selected segment.
     */
    public static VerificationReport verify(Path dir, PublicKey publicKey, Instant from, Instant to) throws IOException {
        ObjectMapper mapper = Json.newMapper();
        TrailFormat format = new TrailFormat();
        List<Problem> problems = new ArrayList<>();

        // 1. Digests: signature, numbering without gaps, and the hash chain between consecutive digests.
        TreeMap<Long, Path> digestFiles = new TreeMap<>();
        List<Path> segmentFiles;
        try (Stream<Path> list = Files.list(dir)) {
            List<Path> all = list.sorted().toList();
            all.stream().filter(p -> TrailFormat.isDigest(p.getFileName().toString()))
                    .forEach(p -> digestFiles.put(TrailFormat.number(p.getFileName().toString()), p));
            segmentFiles = all.stream().filter(p -> TrailFormat.isSegment(p.getFileName().toString())).toList();
        }
        Map<Long, JsonNode> digests = new TreeMap<>();
        long expectedNumber = 1;
        String previousHash = null;
        for (Map.Entry<Long, Path> d : digestFiles.entrySet()) {
            String name = d.getValue().getFileName().toString();
            for (long missing = expectedNumber; missing < d.getKey(); missing++) {
                problems.add(new Problem(Kind.DIGEST_MISSING, TrailFormat.digestName(missing), 0, -1,
                        "digest " + missing + " is missing (digest numbers must be consecutive)"));
            }
            byte[] bytes = Files.readAllBytes(d.getValue());
            Optional<JsonNode> digest = Digests.open(bytes, publicKey, mapper);
            if (digest.isEmpty()) {
                problems.add(new Problem(Kind.DIGEST_BAD_SIGNATURE, name, 0, -1,
                        "the digest's signature does not verify with the trail's public key (digest altered or forged)"));
            } else {
                JsonNode prev = digest.get().get("previousDigestHash");
                boolean adjacent = d.getKey() == expectedNumber && previousHash != null;
                if (adjacent && (prev == null || !previousHash.equals(prev.asText()))) {
                    problems.add(new Problem(Kind.DIGEST_CHAIN_BROKEN, name, 0, -1,
                            "previousDigestHash does not match the hash of " + TrailFormat.digestName(d.getKey() - 1)));
                }
                if (inRange(Instant.parse(digest.get().path("digestTime").asText()), from, to)) {
                    digests.put(d.getKey(), digest.get());
                }
            }
            previousHash = TrailFormat.sha256Hex(bytes);
            expectedNumber = d.getKey() + 1;
        }
        JsonNode latest = digests.isEmpty() ? null : ((TreeMap<Long, JsonNode>) digests).lastEntry().getValue();

        // 2. Records: parse every line of the selected segments; a torn final line is reported as such.
        List<Entry> entries = new ArrayList<>();
        Set<String> present = new HashSet<>();
        Set<String> selectedSegments = new HashSet<>();
        for (int i = 0; i < segmentFiles.size(); i++) {
            Path file = segmentFiles.get(i);
            String name = file.getFileName().toString();
            present.add(name);
            TrailFormat.Split split = TrailFormat.split(Files.readAllBytes(file));
            List<Entry> fileEntries = new ArrayList<>();
            for (int l = 0; l < split.lines().size(); l++) {
                Optional<TrailFormat.Line> line = format.parse(split.lines().get(l));
                if (line.isEmpty()) {
                    problems.add(new Problem(Kind.RECORD_MALFORMED, name, l + 1, -1,
                            "line " + (l + 1) + " is not a trail record (modified)"));
                } else {
                    fileEntries.add(new Entry(name, l + 1, line.get()));
                }
            }
            if (split.partialTail().length > 0) {
                boolean last = i == segmentFiles.size() - 1;
                problems.add(new Problem(last ? Kind.TRUNCATED_LAST_RECORD : Kind.RECORD_MALFORMED, name,
                        split.lines().size() + 1, -1, last
                        ? "the last record is truncated (" + split.partialTail().length + " bytes without a line end: "
                          + "a crash mid-write; the writer cuts it off and records the cut when it reopens)"
                        : "a partial line ends a segment that is not the last one (modified)"));
            }
            boolean selected = fileEntries.isEmpty() || fileEntries.stream().anyMatch(e -> inRange(e.record().event().eventTime(), from, to))
                    || overlaps(fileEntries, from, to);
            if (selected) {
                selectedSegments.add(name);
                entries.addAll(fileEntries);
            }
        }

        // Segments the newest digest names must exist.
        Map<Long, String> missingSegmentByFirstSeq = new HashMap<>();
        if (latest != null) {
            for (JsonNode s : latest.path("segments")) {
                String name = s.path("name").asText();
                if (!present.contains(name)) {
                    missingSegmentByFirstSeq.put(s.path("firstSeq").asLong(), name);
                }
            }
        }

        // 3. The chain.
        long expected;
        String prev;
        if (entries.isEmpty()) {
            expected = -1;
            prev = null;
        } else if (latest != null && from == null && latest.path("chainStart").path("seq").asLong() <= entries.getFirst().record().seq()) {
            expected = latest.path("chainStart").path("seq").asLong();
            prev = latest.path("chainStart").path("prev").asText();
        } else if (from == null) {
            expected = 1;
            prev = TrailFormat.ZERO_HASH;
        } else {
            expected = entries.getFirst().record().seq();
            prev = entries.getFirst().record().prev();
        }
        Map<Long, String> hashBySeq = new HashMap<>();
        Set<Long> digestNumbersInChain = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            TrailFormat.Line r = e.record();
            if ("TrailDigest".equals(r.event().eventName()) && r.event().requestParameters() != null) {
                digestNumbersInChain.add(r.event().requestParameters().path("digestNumber").asLong());
            }
            if (!r.selfConsistent()) {
                problems.add(new Problem(Kind.RECORD_MODIFIED, e.file(), e.line(), r.seq(),
                        "record seq " + r.seq() + " was modified: its hash does not match its contents"));
                hashBySeq.put(r.seq(), r.hash());
                prev = r.hash();
                expected = r.seq() + 1;
                continue;
            }
            if (r.seq() == expected && r.prev().equals(prev)) {
                hashBySeq.put(r.seq(), r.hash());
                prev = r.hash();
                expected++;
                continue;
            }
            if (r.seq() == expected + 1 && i + 1 < entries.size()) {
                TrailFormat.Line next = entries.get(i + 1).record();
                if (next.seq() == expected && next.prev().equals(prev) && r.prev().equals(next.hash())) {
                    problems.add(new Problem(Kind.RECORD_REORDERED, e.file(), e.line(), r.seq(),
                            "records seq " + r.seq() + " (line " + e.line() + ") and seq " + next.seq()
                            + " (line " + entries.get(i + 1).line() + ") are swapped"));
                    hashBySeq.put(next.seq(), next.hash());
                    hashBySeq.put(r.seq(), r.hash());
                    prev = r.hash();
                    expected = r.seq() + 1;
                    i++;
                    continue;
                }
            }
            if (r.seq() > expected) {
                String segment = missingSegmentByFirstSeq.remove(expected);
                if (segment != null) {
                    problems.add(new Problem(Kind.SEGMENT_MISSING, segment, 0, expected, "segment " + segment
                            + " (records " + expected + ".." + (r.seq() - 1) + ") named by the newest digest is missing"));
                } else {
                    problems.add(new Problem(Kind.RECORD_DELETED, e.file(), e.line(), expected, "record"
                            + (r.seq() - 1 == expected ? " seq " + expected + " was" : "s seq " + expected + ".." + (r.seq() - 1) + " were")
                            + " deleted (sequence jumps to " + r.seq() + " at line " + e.line() + ")"));
                }
                hashBySeq.put(r.seq(), r.hash());
                prev = r.hash();
                expected = r.seq() + 1;
                continue;
            }
            if (r.seq() < expected) {
                problems.add(new Problem(Kind.RECORD_INSERTED, e.file(), e.line(), r.seq(), "record seq " + r.seq()
                        + " appears after seq " + (expected - 1) + ": inserted or duplicated"));
                continue;
            }
            problems.add(new Problem(Kind.RECORD_INSERTED, e.file(), e.line(), r.seq(), "record seq " + r.seq()
                    + " does not chain to the record before it: replaced or inserted"));
            hashBySeq.put(r.seq(), r.hash());
            prev = r.hash();
            expected++;
        }
        missingSegmentByFirstSeq.forEach((seq, name) -> problems.add(new Problem(Kind.SEGMENT_MISSING, name, 0, seq,
                "segment " + name + " named by the newest digest is missing")));

        // 4. Each digest's recorded segment end hashes must still match the records (catches rewritten tails).
        for (Map.Entry<Long, JsonNode> d : digests.entrySet()) {
            for (JsonNode s : d.getValue().path("segments")) {
                String name = s.path("name").asText();
                long lastSeq = s.path("lastSeq").asLong();
                String actual = hashBySeq.get(lastSeq);
                if (!selectedSegments.contains(name)) {
                    continue;
                }
                if (actual == null) {
                    problems.add(new Problem(Kind.SEGMENT_MODIFIED, name, 0, lastSeq, "record seq " + lastSeq
                            + ", the end of this segment signed in " + TrailFormat.digestName(d.getKey()) + ", is missing"));
                } else if (!actual.equals(s.path("lastHash").asText())) {
                    problems.add(new Problem(Kind.SEGMENT_MODIFIED, name, 0, lastSeq, "record seq " + lastSeq
                            + " differs from the hash signed in " + TrailFormat.digestName(d.getKey())));
                }
            }
        }
        for (long n : digestNumbersInChain) {
            if (!digestFiles.containsKey(n)) {
                boolean reported = problems.stream().anyMatch(p -> p.kind() == Kind.DIGEST_MISSING
                        && p.file().equals(TrailFormat.digestName(n)));
                if (!reported) {
                    problems.add(new Problem(Kind.DIGEST_MISSING, TrailFormat.digestName(n), 0, -1,
                            "digest " + n + " is recorded in the trail but its file is missing"));
                }
            }
        }
        return new VerificationReport(entries.size(), digests.size(), problems);
    }

    private static boolean inRange(Instant t, Instant from, Instant to) {
        return (from == null || !t.isBefore(from)) && (to == null || !t.isAfter(to));
    }

    private static boolean overlaps(List<Entry> entries, Instant from, Instant to) {
        Instant first = entries.getFirst().record().event().eventTime();
        Instant last = entries.getLast().record().event().eventTime();
        return (from == null || !last.isBefore(from)) && (to == null || !first.isAfter(to));
    }
}
