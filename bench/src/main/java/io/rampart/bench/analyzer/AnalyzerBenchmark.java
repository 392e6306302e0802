package io.rampart.bench.analyzer;

import io.rampart.analyzer.Assumptions;
import io.rampart.analyzer.IsolationReport;
import io.rampart.analyzer.IsolationSpec;
import io.rampart.analyzer.PolicyAnalyzer;
import io.rampart.analyzer.PolicyAudit;
import io.rampart.analyzer.Verdict;
import io.rampart.common.AwsScope;
import io.rampart.policy.NamedPolicy;
import io.rampart.policy.PolicyDocument;
import io.rampart.policy.PolicyLimits;
import io.rampart.policy.SubstitutionMode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Policies analyzed per second: each operation runs the audit's questions on one policy of a generated corpus of
 * realistic device policies (5-20 statements, client-id and thing-name variables, some Deny statements, conditions
 * and typical mistakes): the seven device-isolation checks and the overly-permissive check, for any device, in
 * STRICT mode (the AWS_COMPATIBLE variant is {@code corpusAwsCompatible}). {@code auditStrict} classifies each corpus
 * policy as Device Defender's audit does ({@link PolicyAudit#classify}: overly permissive, cross-device access, {@code #}
 * subscription, misconfigured Deny statements).
 *
 * <p>{@code slowestPolicy} (and {@code slowestAudit}) repeats the corpus policy that took longest in a timing pass during setup, after an
 * untimed warm-up pass (printed to stderr with its statement count), so the tail is measured as well as the mean.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class AnalyzerBenchmark {
    private static final AwsScope SCOPE = new AwsScope("eu-central-1", "123456789012");
    private static final String A = SCOPE.arnPrefix();
    private static final int CORPUS = 200;
    private static final IsolationSpec SPEC = new IsolationSpec("devices");

    /** Statement templates seen in real device policies; the last ones are common mistakes. */
    private static final String[] STATEMENTS = {
            allow("iot:Connect", A + "client/${iot:Connection.Thing.ThingName}"),
            allow("iot:Connect", A + "client/${iot:ClientId}"),
            allow("iot:Publish", A + "topic/devices/${iot:ClientId}/telemetry"),
            allow("iot:Publish", A + "topic/devices/${iot:ClientId}/events/*"),
            allow("iot:Subscribe", A + "topicfilter/devices/${iot:ClientId}/commands/*"),
            allow("iot:Receive", A + "topic/devices/${iot:ClientId}/commands/*"),
            allow("[\"iot:Publish\",\"iot:Receive\"]", A + "topic/$aws/things/${iot:Connection.Thing.ThingName}/shadow/*"),
            allow("iot:Subscribe", A + "topicfilter/$aws/things/${iot:Connection.Thing.ThingName}/shadow/*"),
            allow("[\"iot:Publish\",\"iot:Receive\"]", A + "topic/$aws/things/${iot:Connection.Thing.ThingName}/jobs/*"),
            allow("iot:Subscribe", A + "topicfilter/$aws/things/${iot:Connection.Thing.ThingName}/jobs/*"),
            allow("[\"iot:GetThingShadow\",\"iot:UpdateThingShadow\"]", A + "thing/${iot:Connection.Thing.ThingName}"),
            allow("iot:*JobExecution*", A + "thing/${iot:Connection.Thing.ThingName}"),
            allow("iot:Subscribe", A + "topicfilter/broadcast/*"),
            allow("iot:Receive", A + "topic/broadcast/*"),
            deny("iot:Publish", A + "topic/devices/${iot:ClientId}/admin/*"),
            deny("iot:*", A + "topic/$aws/things/*/shadow/delete"),
            "{\"Effect\":\"Allow\",\"Action\":\"iot:Publish\",\"Resource\":\"" + A + "topic/fleet/${iot:ClientId}/*\","
                    + "\"Condition\":{\"StringLike\":{\"iot:ClientId\":\"sensor-*\"}}}",
            "{\"Effect\":\"Deny\",\"Action\":\"iot:Connect\",\"Resource\":\"*\","
                    + "\"Condition\":{\"Bool\":{\"iot:Connection.Thing.IsAttached\":\"false\"}}}",
            allow("iot:Publish", A + "topic/devices/${iot:ClientId}*"),
            allow("iot:Subscribe", A + "topicfilter/devices/*"),
            allow("iot:Receive", A + "topic/$aws/things/*/shadow/update/accepted"),
            allow("iot:*", "*"),
    };

    private final PolicyAnalyzer analyzer = new PolicyAnalyzer();
    private final Assumptions strict = Assumptions.anyDevice(SCOPE, SubstitutionMode.STRICT);
    private final Assumptions compatible = Assumptions.anyDevice(SCOPE, SubstitutionMode.AWS_COMPATIBLE);
    private List<List<NamedPolicy>> corpus;
    private List<NamedPolicy> slowest;
    private int next;

    private static String allow(String action, String resource) {
        return statement("Allow", action, resource);
    }

    private static String deny(String action, String resource) {
        return statement("Deny", action, resource);
    }

    private static String statement(String effect, String action, String resource) {
        String actions = action.startsWith("[") ? action : "\"" + action + "\"";
        return "{\"Effect\":\"" + effect + "\",\"Action\":" + actions + ",\"Resource\":\"" + resource + "\"}";
    }

    @Setup
    public void setUp() {
        Random random = new Random(20261125L);
        corpus = new ArrayList<>();
        for (int i = 0; i < CORPUS; i++) {
            int statements = 5 + random.nextInt(16);
            List<String> chosen = new ArrayList<>();
            for (int s = 0; s < statements; s++) {
                // Mistakes (the last four templates) appear in about one policy statement in twenty.
                int pick = random.nextInt(20) == 0
                        ? STATEMENTS.length - 1 - random.nextInt(4) : random.nextInt(STATEMENTS.length - 4);
                chosen.add(STATEMENTS[pick]);
            }
            String json = "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", chosen) + "]}";
            corpus.add(List.of(new NamedPolicy("device-" + i, "1",
                    PolicyDocument.parse(json, new PolicyLimits(1 << 20)))));
        }
        // One untimed pass first, so the timing pass compares policies rather than JIT warm-up.
        for (List<NamedPolicy> policy : corpus) {
            analyze(policy, strict, null);
        }
        long worst = -1;
        for (List<NamedPolicy> policy : corpus) {
            long start = System.nanoTime();
            analyze(policy, strict, null);
            long took = System.nanoTime() - start;
            if (took > worst) {
                worst = took;
                slowest = policy;
            }
        }
        System.err.printf("analyzer benchmark: slowest corpus policy %s (%d statements) took %.1f ms in the timing pass%n",
                slowest.get(0).name(), slowest.get(0).document().statements().size(), worst / 1e6);
    }

    private int analyze(List<NamedPolicy> policy, Assumptions assumptions, Blackhole blackhole) {
        IsolationReport report = analyzer.checkDeviceIsolation(policy, SPEC, assumptions);
        Verdict permissive = analyzer.checkOverlyPermissive(policy, assumptions);
        if (blackhole != null) {
            blackhole.consume(report);
            blackhole.consume(permissive);
        }
        return report.verdicts().size();
    }

    @Benchmark
    public void corpusStrict(Blackhole blackhole) {
        analyze(corpus.get(next++ % CORPUS), strict, blackhole);
    }

    @Benchmark
    public void corpusAwsCompatible(Blackhole blackhole) {
        analyze(corpus.get(next++ % CORPUS), compatible, blackhole);
    }

    /** The audit's own timing pass, so the isolation benchmarks do not pay for it in their setup. */
    @State(Scope.Thread)
    public static class AuditCorpus {
        final PolicyAudit audit = new PolicyAudit(SCOPE, SubstitutionMode.STRICT);
        List<NamedPolicy> corpus;
        NamedPolicy slowest;
        int next;

        @Setup
        public void setUp(AnalyzerBenchmark benchmark) {
            corpus = benchmark.corpus.stream().map(p -> p.get(0)).toList();
            for (NamedPolicy policy : corpus) {
                audit.classify(policy);
            }
            long worst = -1;
            for (NamedPolicy policy : corpus) {
                long start = System.nanoTime();
                audit.classify(policy);
                long took = System.nanoTime() - start;
                if (took > worst) {
                    worst = took;
                    slowest = policy;
                }
            }
            System.err.printf("analyzer benchmark: slowest audit %s (%d statements) took %.1f ms in the timing pass%n",
                    slowest.name(), slowest.document().statements().size(), worst / 1e6);
        }
    }

    @Benchmark
    public void auditStrict(AuditCorpus audits, Blackhole blackhole) {
        blackhole.consume(audits.audit.classify(audits.corpus.get(audits.next++ % CORPUS)));
    }

    @Benchmark
    public void slowestAudit(AuditCorpus audits, Blackhole blackhole) {
        blackhole.consume(audits.audit.classify(audits.slowest));
    }

    @Benchmark
    public void slowestPolicy(Blackhole blackhole) {
        analyze(slowest, strict, blackhole);
    }
}
