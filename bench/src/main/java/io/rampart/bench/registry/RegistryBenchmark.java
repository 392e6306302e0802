package io.rampart.bench.registry;

import io.rampart.bench.ScratchDatabase;
import io.rampart.common.AwsScope;
import io.rampart.pki.CertificateAuthority;
import io.rampart.pki.KeyAlgorithm;
import io.rampart.policy.PolicyEngine;
import io.rampart.registry.Certificate;
import io.rampart.registry.CertificateVerdict;
import io.rampart.registry.ConnectionPolicies;
import io.rampart.registry.Registry;
import io.rampart.registry.Thing;
import java.io.IOException;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Registry throughput on each database: durable thing creates (one committed transaction each, fsync on SQLite),
 * thing reads, the gateway's certificate verdict, and its per-connection authorization read ({@code forConnection}: certificate, its
 * policies, the thing and its groups' policies). PostgreSQL runs in a throw-away schema of
 * {@code RAMPART_BENCH_POSTGRES_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class RegistryBenchmark {
    private static final int THINGS = 1_000;
    private static final AwsScope SCOPE = AwsScope.defaults();

    @Param({"sqlite", "postgresql"})
    public String database;

    private ScratchDatabase scratch;
    private Registry registry;
    private String certificateId;
    private final AtomicLong created = new AtomicLong();

    @Setup(Level.Trial)
    public void open() throws IOException, SQLException {
        scratch = ScratchDatabase.open(database, "registry.db");
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        registry = Registry.open(scratch.database(), CertificateAuthority.inMemory(KeyAlgorithm.EC_P256, "Bench CA", clock, random),
                new PolicyEngine(SCOPE, clock), SCOPE, clock);
        for (int i = 0; i < THINGS; i++) {
            registry.things().create(readName(i), null, Map.of("floor", Integer.toString(i % 10)));
        }
        Certificate certificate = registry.certificates().createKeysAndCertificate(true).certificate();
        certificateId = certificate.id();
        registry.thingGroups().create("fleet", null, null, Map.of());
        registry.thingGroups().create("line", "fleet", null, Map.of());
        registry.thingGroups().addThing("line", readName(0));
        registry.attachments().attachThingPrincipal(readName(0), certificate.arn());
        String document = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iot:Publish\","
                + "\"Resource\":\"" + SCOPE.arn("topic", "things/${iot:Connection.Thing.ThingName}/*") + "\"}]}";
        registry.policies().create("cert-policy", document);
        registry.policies().create("group-policy", document);
        registry.attachments().attachPolicy("cert-policy", certificate.arn());
        registry.attachments().attachPolicy("group-policy", SCOPE.arn("thinggroup", "fleet"));
    }

    @TearDown(Level.Trial)
    public void close() throws IOException, SQLException {
        scratch.close();
    }

    /** CreateThing: one durable transaction (insert thing + attribute index row). */
    @Benchmark
    public Thing createThing() {
        return registry.things().create("created-" + created.incrementAndGet(), null, Map.of("floor", "1"));
    }

    /** DescribeThing of a random existing thing. */
    @Benchmark
    public Thing describeThing() {
        return registry.things().describe(readName(ThreadLocalRandom.current().nextInt(THINGS)));
    }

    /** The gateway's TLS-time verdict: certificate known, ACTIVE, CA ACTIVE, within validity. */
    @Benchmark
    public CertificateVerdict verifyCertificate() {
        return registry.certificates().verify(certificateId);
    }

    /** What the MQTT gateway reads at CONNECT: certificate, policies (own and group-inherited), thing context. */
    @Benchmark
    public ConnectionPolicies forConnection() {
        return registry.authorizations().forConnection(certificateId, readName(0));
    }

    private static String readName(int i) {
        return "thing-" + i;
    }


}
