package io.rampart.bench.api;

import io.rampart.api.AccessKeys;
import io.rampart.api.ApiConfig;
import io.rampart.api.ApiServer;
import io.rampart.api.ApiServices;
import io.rampart.common.AwsScope;
import io.rampart.common.Page;
import io.rampart.pki.CertificateAuthority;
import io.rampart.pki.KeyAlgorithm;
import io.rampart.pki.TlsContexts;
import io.rampart.policy.PolicyEngine;
import io.rampart.registry.Registry;
import io.rampart.store.Database;
import io.rampart.trail.FileTrail;
import io.rampart.trail.Trail;
import io.rampart.trail.TrailEvent;
import io.rampart.trail.TrailQuery;
import io.rampart.trail.TrailRecord;
import io.rampart.trail.TrailConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import javax.net.ssl.TrustManager;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iot.IotClient;

/**
 * What the activity trail adds to API latency: the same in-process API (HTTPS, SigV4, SQLite registry) driven by the
 * AWS SDK's IotClient, once without a trail and once recording every call durably (fsync, group commit) before
 * answering, as the node does. Measures DescribeThing (a read) and UpdateThing (a durable write), each with 1 caller
 * (latency p50/p99) and with N callers (throughput and latency under load). The two setups alternate (off, on, off,
 * on, ...) for several rounds after a warm-up round, and each figure is the median over the rounds, so a burst of
 * load from elsewhere on the machine does not decide the comparison alone. The load average at the start is printed.
 * With the trail on, the time each call spent inside {@code trail.record()} is measured too: the trail's own share of
 * the latency, which stays readable when load from elsewhere swamps the end-to-end difference.
 *
 * <p>Usage: {@code ApiTrailOverhead [seconds per measurement=3] [callers=16] [rounds=3]}.
 */
public final class ApiTrailOverhead {
    private static final AwsScope SCOPE = AwsScope.defaults();

    private ApiTrailOverhead() {
    }

    /** Calls per second and their latency; with a trail, also the time each call spent in the trail's record(). */
    private record Result(double perSecond, double p50Millis, double p99Millis, double trailP50Millis, double trailP99Millis) {
        @Override
        public String toString() {
            return String.format("%6.0f/s p50 %6.2f ms p99 %7.2f ms", perSecond, p50Millis, p99Millis);
        }
    }

    /** The trail as the API sees it, timing each record() (the fsync and its group-commit wait included). */
    private record TimedTrail(Trail trail, Recorder recordTime) implements Trail {
        @Override
        public TrailRecord record(TrailEvent event) {
            long start = System.nanoTime();
            try {
                return trail.record(event);
            } finally {
                recordTime.recordValue(System.nanoTime() - start);
            }
        }

        @Override
        public Page<TrailRecord> lookup(TrailQuery query, Page.Request page) {
            return trail.lookup(query, page);
        }

        @Override
        public void close() {
            trail.close();
        }
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int callers = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        System.out.println("load average at start: " + Files.readString(Path.of("/proc/loadavg")).strip());
        Path dir = Files.createTempDirectory("rampart-api-trail-bench");
        SecureRandom random = new SecureRandom();
        Clock clock = Clock.systemUTC();
        try (Database database = Database.open("jdbc:sqlite:" + dir.resolve("rampart.db"))) {
            CertificateAuthority ca = CertificateAuthority.inMemory(KeyAlgorithm.DEFAULT, "bench CA", clock, random);
            Registry registry = Registry.open(database, ca, new PolicyEngine(SCOPE, clock), SCOPE, clock);
            AccessKeys keys = new AccessKeys(database, "bench node secret, 32 bytes long".getBytes(StandardCharsets.UTF_8),
                    clock, random);
            AccessKeys.NewAccessKey admin = keys.bootstrapAdmin().orElseThrow();
            ApiConfig config = ApiConfig.of("127.0.0.1", 0,
                    TlsContexts.server(ca.issueServerCertificate(List.of("localhost"), List.of("127.0.0.1"), KeyAlgorithm.DEFAULT)),
                    SCOPE, "localhost");
            TrustManager[] trust = {TlsContexts.trustManager(List.of(ca.certificate()))};
            List<String> names = List.of("DescribeThing, 1 caller", "DescribeThing, " + callers + " callers",
                    "UpdateThing, 1 caller", "UpdateThing, " + callers + " callers");
            Map<Boolean, List<List<Result>>> measured = Map.of(false, new ArrayList<>(), true, new ArrayList<>());
            try (SdkHttpClient http = ApacheHttpClient.builder().maxConnections(callers * 2).tlsTrustManagersProvider(() -> trust).build()) {
                for (int round = 0; round <= rounds; round++) {
                    for (boolean withTrail : new boolean[] {false, true}) {
                        List<Result> results = run(registry, ca, keys, clock, random, config, admin, http, dir, round,
                                withTrail, callers, seconds);
                        if (round > 0) {
                            // Round 0 warms the JVM, the database and the connection pool up.
                            measured.get(withTrail).add(results);
                        }
                    }
                }
            }
            System.out.printf("median of %d rounds, %d s each, SQLite registry, trail fsynced per call (group commit)%n",
                    rounds, seconds);
            for (int i = 0; i < names.size(); i++) {
                Result off = median(measured.get(false), i);
                Result on = median(measured.get(true), i);
                System.out.printf("%-28s trail off %s | trail on %s | on-off: p50 %+6.2f ms, p99 %+7.2f ms, throughput %+5.1f%%"
                                + " | time in trail.record(): p50 %.2f ms, p99 %.2f ms%n",
                        names.get(i), off, on, on.p50Millis() - off.p50Millis(), on.p99Millis() - off.p99Millis(),
                        100 * (on.perSecond() - off.perSecond()) / off.perSecond(), on.trailP50Millis(), on.trailP99Millis());
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    /** One setup (with or without a trail): DescribeThing and UpdateThing, 1 caller then {@code callers}. */
    private static List<Result> run(Registry registry, CertificateAuthority ca, AccessKeys keys, Clock clock,
                                    SecureRandom random, ApiConfig config, AccessKeys.NewAccessKey admin, SdkHttpClient http,
                                    Path dir, int round, boolean withTrail, int callers, int seconds) throws Exception {
        ApiServices services = new ApiServices(registry, ca, keys, clock);
        FileTrail trail = null;
        Recorder recordTime = null;
        if (withTrail) {
            trail = FileTrail.open(TrailConfig.defaults(dir.resolve("trail-" + round),
                    dir.resolve("keys/trail-signing-" + round + ".p8"), "bench trail secret".toCharArray()), clock, random);
            recordTime = new Recorder(3);
            services = services.withTrail(new TimedTrail(trail, recordTime));
        }
        try (ApiServer server = ApiServer.start(config, services); IotClient iot = client(server.port(), admin, http)) {
            List<String> things = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                String name = "bench-" + round + "-" + withTrail + "-" + i;
                iot.createThing(b -> b.thingName(name));
                things.add(name);
            }
            IntConsumer describe = caller -> iot.describeThing(b -> b.thingName(things.get(caller)));
            long[] counter = new long[callers];
            IntConsumer update = caller -> iot.updateThing(b -> b.thingName(things.get(caller))
                    .attributePayload(p -> p.attributes(Map.of("n", Long.toString(++counter[caller])))));
            return List.of(measure(describe, 1, seconds, recordTime), measure(describe, callers, seconds, recordTime),
                    measure(update, 1, seconds, recordTime), measure(update, callers, seconds, recordTime));
        } finally {
            if (trail != null) {
                trail.close();
            }
        }
    }

    /** Per statistic, the median over the rounds of measurement {@code index}. */
    private static Result median(List<List<Result>> rounds, int index) {
        List<Result> results = rounds.stream().map(round -> round.get(index)).toList();
        return new Result(median(results.stream().mapToDouble(Result::perSecond).toArray()),
                median(results.stream().mapToDouble(Result::p50Millis).toArray()),
                median(results.stream().mapToDouble(Result::p99Millis).toArray()),
                median(results.stream().mapToDouble(Result::trailP50Millis).toArray()),
                median(results.stream().mapToDouble(Result::trailP99Millis).toArray()));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static IotClient client(int port, AccessKeys.NewAccessKey key, SdkHttpClient http) {
        return IotClient.builder()
                .endpointOverride(URI.create("https://127.0.0.1:" + port))
                .region(Region.of(SCOPE.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(key.key().accessKeyId(), key.secretAccessKey())))
                .httpClient(http)
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    /**
     * One second of warm-up, then {@code seconds} of calls by {@code callers} platform threads, each call timed, and the
     * trail's record() times over the same interval when {@code recordTime} is given.
     */
    private static Result measure(IntConsumer call, int callers, int seconds, Recorder recordTime) throws InterruptedException {
        Recorder recorder = new Recorder(3);
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            int caller = i;
            threads.add(Thread.ofPlatform().start(() -> {
                while (running.get()) {
                    long start = System.nanoTime();
                    call.accept(caller);
                    recorder.recordValue(System.nanoTime() - start);
                }
            }));
        }
        Thread.sleep(1000);
        recorder.reset();
        if (recordTime != null) {
            recordTime.reset();
        }
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        Histogram histogram = recorder.getIntervalHistogram();
        Histogram trailHistogram = recordTime == null ? null : recordTime.getIntervalHistogram();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        running.set(false);
        for (Thread thread : threads) {
            thread.join();
        }
        return new Result(histogram.getTotalCount() / elapsed, histogram.getValueAtPercentile(50) / 1e6,
                histogram.getValueAtPercentile(99) / 1e6,
                trailHistogram == null ? Double.NaN : trailHistogram.getValueAtPercentile(50) / 1e6,
                trailHistogram == null ? Double.NaN : trailHistogram.getValueAtPercentile(99) / 1e6);
    }
}
