package io.rampart.bench.shadow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rampart.shadow.ShadowLimits;
import io.rampart.shadow.internal.ShadowEngine;
import io.rampart.shadow.internal.ShadowState;
import io.rampart.shadow.internal.UpdateOutcome;
import io.rampart.shadow.internal.UpdateRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
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

/** The shadow engine's hot path: parse an update, merge it into a 40-leaf shadow, compute delta and documents. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ShadowMergeBenchmark {
    private final ShadowEngine engine = new ShadowEngine(ShadowLimits.defaults());
    private final Instant now = Instant.ofEpochSecond(1_700_000_000);
    private ShadowState current;
    private byte[] update;

    @Setup
    public void setUp() {
        StringBuilder desired = new StringBuilder();
        StringBuilder reported = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            desired.append(i == 0 ? "" : ",").append("\"d").append(i).append("\":{\"v\":").append(i).append("}");
            reported.append(i == 0 ? "" : ",").append("\"d").append(i).append("\":{\"v\":").append(i % 3).append("}");
        }
        byte[] initial = ("{\"state\":{\"desired\":{" + desired + "},\"reported\":{" + reported + "}}}").getBytes(StandardCharsets.UTF_8);
        current = engine.update(null, 0, engine.parseUpdate(initial), now).state();
        update = "{\"state\":{\"reported\":{\"d3\":{\"v\":3},\"temp\":21.5}},\"clientToken\":\"abc\"}".getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public UpdateOutcome parseAndMerge() {
        UpdateRequest request = engine.parseUpdate(update);
        return engine.update(current, 7, request, now);
    }

    @Benchmark
    public ObjectNode getDocument() {
        return engine.document(current, 7, now, null);
    }
}
