package io.rampart.trail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rampart.common.ErrorType;
import io.rampart.common.Json;
import io.rampart.common.Page;
import io.rampart.common.RampartException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The file-backed trail.
 *
 * <p>Invariants: only the writer thread touches files, the chain state ({@code nextSeq}, {@code lastHash}) and the
 * segment list; callers hand events over a queue and wait. The writer drains every waiting event, writes them in
 * one {@code write}, then one {@code force} (group commit), and only then completes their futures. After an I/O
 * failure the writer refuses every later event (the chain state on disk is unknown until a restart repairs it).
 */
public final class FileTrail implements Trail {
    private static final int MAX_BATCH = 4096;

    private final TrailConfig config;
    private final Clock clock;
    private final SecureRandom random;
    private final PrivateKey signingKey;
    private final TrailFormat format = new TrailFormat();
    private final ObjectMapper mapper = Json.newMapper();
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;

    // Writer-thread state.
    private final List<SegmentState> segments = new ArrayList<>();
    private FileChannel channel;
    private long nextSeq;
    private String lastHash;
    private long digestNumber;
    private String lastDigestHash;
    private Instant nextDigestAt;
    private IOException failure;
    private volatile boolean closed;

    private record Pending(TrailEvent event, Runnable action, CompletableFuture<TrailRecord> done) {
    }

    /** One segment as the writer knows it. */
    private static final class SegmentState {
        final String name;
        final long firstSeq;
        final String firstPrev;
        long lastSeq;
        long records;
        String lastHash;
        long bytes;
        final Instant opened;
        Instant lastTime;

        SegmentState(String name, long firstSeq, String firstPrev, Instant opened) {
            this.name = name;
            this.firstSeq = firstSeq;
            this.firstPrev = firstPrev;
            this.opened = opened;
            this.lastSeq = firstSeq - 1;
        }
    }

    private FileTrail(TrailConfig config, Clock clock, SecureRandom random, PrivateKey signingKey) {
        this.config = config;
        this.clock = clock;
        this.random = random;
        this.signingKey = signingKey;
        this.writer = Thread.ofPlatform().name("trail-writer").daemon(true).unstarted(this::run);
    }

    /**
     * Opens (or creates) the trail in {@code config.directory()}. A torn last record left by a crash is cut off and
     * the cut is itself recorded as a {@code TrailRecovered} event, so the chain continues valid.
     */
    public static FileTrail open(TrailConfig config, Clock clock, SecureRandom random) {
        try {
            Files.createDirectories(config.directory());
            PrivateKey key = Digests.loadOrCreateKey(config, random);
            FileTrail trail = new FileTrail(config, clock, random, key);
            Optional<TrailEvent> recovered = trail.load();
            trail.writer.start();
            recovered.ifPresent(trail::record);
            return trail;
        } catch (IOException e) {
            throw new RampartException(ErrorType.INTERNAL_FAILURE, "the trail in " + config.directory()
                    + " could not be opened: " + e.getMessage(), e);
        }
    }

    private Optional<TrailEvent> load() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(config.directory())) {
            files = list.filter(p -> TrailFormat.isSegment(p.getFileName().toString())).sorted().toList();
        }
        nextSeq = 1;
        lastHash = TrailFormat.ZERO_HASH;
        try (Stream<Path> list = Files.list(config.directory())) {
            Optional<Path> latest = list.filter(p -> TrailFormat.isDigest(p.getFileName().toString())).sorted()
                    .reduce((a, b) -> b);
            digestNumber = latest.map(p -> TrailFormat.number(p.getFileName().toString())).orElse(0L);
            if (latest.isPresent()) {
                byte[] bytes = Files.readAllBytes(latest.get());
                lastDigestHash = TrailFormat.sha256Hex(bytes);
                if (files.isEmpty()) {
                    // Every segment was removed by retention: continue from the chain end the digest recorded.
                    var end = mapper.readTree(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                            .substring("{\"digest\":".length())).path("chainEnd");
                    nextSeq = end.path("seq").asLong(0) + 1;
                    lastHash = end.path("hash").asText(TrailFormat.ZERO_HASH);
                }
            }
        }
        TrailEvent recovered = null;
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            byte[] bytes = Files.readAllBytes(file);
            TrailFormat.Split split = TrailFormat.split(bytes);
            long goodEnd = 0;
            SegmentState state = null;
            for (int l = 0; l < split.lines().size(); l++) {
                Optional<TrailFormat.Line> line = format.parse(split.lines().get(l));
                if (line.isEmpty()) {
                    break;
                }
                TrailFormat.Line ok = line.get();
                if (state == null) {
                    state = new SegmentState(file.getFileName().toString(), ok.seq(), ok.prev(), ok.event().eventTime());
                }
                state.lastSeq = ok.seq();
                state.records++;
                state.lastHash = ok.hash();
                state.lastTime = ok.event().eventTime();
                goodEnd = split.lineEnds().get(l);
                nextSeq = ok.seq() + 1;
                lastHash = ok.hash();
            }
            boolean last = i == files.size() - 1;
            if (last && goodEnd < bytes.length) {
                // A crash mid-write leaves a partial line; cut it so appends continue after the last whole record.
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(goodEnd);
                    ch.force(true);
                }
                ObjectNode params = mapper.createObjectNode();
                params.put("segment", file.getFileName().toString());
                params.put("truncatedBytes", bytes.length - goodEnd);
                params.put("offset", goodEnd);
                recovered = new TrailEvent(clock.instant(), TrailEvent.TRAIL_SOURCE, "TrailRecovered", null, null, null,
                        params, List.of(), 200, null, null);
            }
            if (state != null) {
                state.bytes = goodEnd;
                segments.add(state);
            } else if (last) {
                Files.delete(file);
            }
        }
        nextDigestAt = clock.instant().plus(config.digestInterval());
        return Optional.ofNullable(recovered);
    }

    @Override
    public TrailRecord record(TrailEvent event) {
        return submit(new Pending(event, null, new CompletableFuture<>()));
    }

    /** Writes a signed digest now (it is also written every digest interval and on close). */
    public void digest() {
        submit(new Pending(null, () -> { }, new CompletableFuture<>()));
    }

    private TrailRecord submit(Pending pending) {
        if (closed) {
            throw new RampartException(ErrorType.INTERNAL_FAILURE, "the trail is closed");
        }
        queue.add(pending);
        try {
            return pending.done().join();
        } catch (CompletionException e) {
            throw new RampartException(ErrorType.INTERNAL_FAILURE, "the trail could not record the event durably: "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (true) {
            try {
                long waitMs = Math.max(1, nextDigestAt.toEpochMilli() - clock.millis());
                Pending first = queue.poll(Math.min(waitMs, 1000), TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            boolean stop = false;
            boolean digestWanted = !clock.instant().isBefore(nextDigestAt);
            List<Pending> events = new ArrayList<>();
            for (Pending p : batch) {
                if (p.event() == null) {
                    digestWanted = true;
                    stop |= p.action() == STOP;
                } else {
                    events.add(p);
                }
            }
            try {
                if (failure != null) {
                    throw failure;
                }
                List<TrailRecord> written = append(events.stream().map(Pending::event).toList());
                for (int i = 0; i < events.size(); i++) {
                    events.get(i).done().complete(written.get(i));
                }
                if (digestWanted) {
                    writeDigest();
                }
                batch.forEach(p -> p.done().complete(null));
            } catch (IOException e) {
                failure = failure == null ? e : failure;
                batch.forEach(p -> p.done().completeExceptionally(e));
            }
            batch.clear();
            if (stop || Thread.currentThread().isInterrupted()) {
                closeChannel();
                // A caller that raced close() is told, not left waiting.
                for (Pending late; (late = queue.poll()) != null; ) {
                    late.done().completeExceptionally(new IOException("the trail is closed"));
                }
                return;
            }
        }
    }

    private static final Runnable STOP = () -> { };

    private List<TrailRecord> append(List<TrailEvent> events) throws IOException {
        if (events.isEmpty()) {
            return List.of();
        }
        List<byte[]> lines = new ArrayList<>(events.size());
        List<TrailRecord> records = new ArrayList<>(events.size());
        int total = 0;
        SegmentState segment = currentSegment();
        for (TrailEvent event : events) {
            byte[] recordBytes = format.recordBytes(nextSeq, event);
            String hash = TrailFormat.chainHash(lastHash, recordBytes);
            byte[] line = TrailFormat.line(hash, lastHash, recordBytes);
            if (segment.records > 0 && segment.bytes + total + line.length > config.segmentMaxBytes()) {
                flush(lines, total);
                lines.clear();
                total = 0;
                segment = roll();
            }
            lines.add(line);
            total += line.length;
            records.add(new TrailRecord(nextSeq, hash, event));
            segment.lastSeq = nextSeq;
            segment.records++;
            segment.lastHash = hash;
            segment.lastTime = event.eventTime();
            lastHash = hash;
            nextSeq++;
            segment.bytes += line.length;
        }
        flush(lines, total);
        return records;
    }

    private void flush(List<byte[]> lines, int total) throws IOException {
        if (lines.isEmpty()) {
            return;
        }
        ByteBuffer buffer = ByteBuffer.allocate(total);
        lines.forEach(buffer::put);
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        // Durable before any waiting caller is released: data only (the file's size is part of it on Linux).
        channel.force(false);
    }

    private SegmentState currentSegment() throws IOException {
        if (segments.isEmpty()) {
            return roll();
        }
        SegmentState last = segments.getLast();
        if (!clock.instant().isBefore(last.opened.plus(config.segmentMaxAge())) && last.records > 0) {
            return roll();
        }
        if (channel == null) {
            channel = FileChannel.open(config.directory().resolve(last.name), StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
        return last;
    }

    private SegmentState roll() throws IOException {
        closeChannel();
        SegmentState next = new SegmentState(TrailFormat.segmentName(nextSeq), nextSeq, lastHash, clock.instant());
        Path file = config.directory().resolve(next.name);
        channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        // The new directory entry must survive a crash too.
        forceDirectory();
        segments.add(next);
        return next;
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                failure = failure == null ? e : failure;
            }
            channel = null;
        }
    }

    private void forceDirectory() throws IOException {
        try (FileChannel dir = FileChannel.open(config.directory(), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    /** Applies retention, then writes the next signed digest and records it in the chain. */
    private void writeDigest() throws IOException {
        List<String> removed = applyRetention();
        Instant now = clock.instant();
        ObjectNode digest = mapper.createObjectNode();
        digestNumber++;
        digest.put("digestNumber", digestNumber);
        digest.put("digestTime", now.toString());
        digest.put("previousDigestHash", lastDigestHash);
        ObjectNode start = digest.putObject("chainStart");
        if (segments.isEmpty()) {
            start.put("seq", nextSeq);
            start.put("prev", lastHash);
        } else {
            start.put("seq", segments.getFirst().firstSeq);
            start.put("prev", segments.getFirst().firstPrev);
        }
        ObjectNode end = digest.putObject("chainEnd");
        end.put("seq", nextSeq - 1);
        end.put("hash", lastHash);
        ArrayNode list = digest.putArray("segments");
        for (SegmentState s : segments) {
            if (s.records == 0) {
                continue;
            }
            ObjectNode n = list.addObject();
            n.put("name", s.name);
            n.put("firstSeq", s.firstSeq);
            n.put("lastSeq", s.lastSeq);
            n.put("records", s.records);
            n.put("lastHash", s.lastHash);
        }
        ArrayNode gone = digest.putArray("removedByRetention");
        removed.forEach(gone::add);
        byte[] file = Digests.sign(mapper.writeValueAsBytes(digest), signingKey, random);
        Path target = config.directory().resolve(TrailFormat.digestName(digestNumber));
        Path temp = config.directory().resolve(TrailFormat.digestName(digestNumber) + ".tmp");
        Files.write(temp, file);
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(temp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        forceDirectory();
        lastDigestHash = TrailFormat.sha256Hex(file);
        nextDigestAt = now.plus(config.digestInterval());
        // The chain names every digest, so removing even the newest digest file is detected.
        ObjectNode params = mapper.createObjectNode();
        params.put("digestNumber", digestNumber);
        params.put("digestFile", target.getFileName().toString());
        append(List.of(new TrailEvent(now, TrailEvent.TRAIL_SOURCE, "TrailDigest", null, null, null, params,
                List.of(), 200, null, null)));
    }

    private List<String> applyRetention() throws IOException {
        List<String> removed = new ArrayList<>();
        Instant now = clock.instant();
        long totalBytes = segments.stream().mapToLong(s -> s.bytes).sum();
        // The active (last) segment is never removed: the chain continues from it.
        while (segments.size() > 1) {
            SegmentState oldest = segments.getFirst();
            boolean tooOld = config.retentionMaxAge() != null && oldest.lastTime != null
                    && oldest.lastTime.isBefore(now.minus(config.retentionMaxAge()));
            boolean tooBig = config.retentionMaxBytes() > 0 && totalBytes > config.retentionMaxBytes();
            if (!tooOld && !tooBig) {
                break;
            }
            Files.delete(config.directory().resolve(oldest.name));
            totalBytes -= oldest.bytes;
            removed.add(oldest.name);
            segments.removeFirst();
        }
        if (!removed.isEmpty()) {
            forceDirectory();
        }
        return removed;
    }

    @Override
    public Page<TrailRecord> lookup(TrailQuery query, Page.Request page) {
        long before = page.nextToken() == null ? Long.MAX_VALUE : parseToken(page.nextToken());
        List<TrailRecord> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(config.directory())) {
            files = list.filter(p -> TrailFormat.isSegment(p.getFileName().toString()))
                    .sorted(java.util.Comparator.reverseOrder()).toList();
        } catch (IOException e) {
            throw new RampartException(ErrorType.INTERNAL_FAILURE, "the trail could not be listed: " + e.getMessage(), e);
        }
        for (Path file : files) {
            if (TrailFormat.number(file.getFileName().toString()) >= before) {
                continue;
            }
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (java.nio.file.NoSuchFileException e) {
                continue; // removed by retention meanwhile
            } catch (IOException e) {
                throw new RampartException(ErrorType.INTERNAL_FAILURE, "the trail could not be read: " + e.getMessage(), e);
            }
            List<byte[]> lines = TrailFormat.split(bytes).lines();
            for (int i = lines.size() - 1; i >= 0; i--) {
                Optional<TrailFormat.Line> line = format.parse(lines.get(i));
                if (line.isEmpty() || line.get().seq() >= before) {
                    continue;
                }
                TrailRecord record = new TrailRecord(line.get().seq(), line.get().hash(), line.get().event());
                if (query.matches(record)) {
                    if (out.size() == page.maxResults()) {
                        return new Page<>(out, Long.toString(out.getLast().seq()));
                    }
                    out.add(record);
                }
            }
        }
        return new Page<>(out, null);
    }

    private static long parseToken(String token) {
        try {
            return Long.parseLong(token);
        } catch (NumberFormatException e) {
            throw RampartException.invalidRequest("nextToken is not a token this API returned: '" + token + "'");
        }
    }

    /** Writes a final digest, then stops the writer. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        Pending stop = new Pending(null, STOP, new CompletableFuture<>());
        queue.add(stop);
        closed = true;
        try {
            stop.done().join();
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (CompletionException e) {
            throw new RampartException(ErrorType.INTERNAL_FAILURE, "the trail's final digest failed: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
