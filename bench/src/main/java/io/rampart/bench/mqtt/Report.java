package io.rampart.bench.mqtt;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Prints one table per workload (a column per target and the ratio) and a summary. The ratio is oriented so that
 * {@code >= 1.0} always means "Rampart is at least as good": Rampart/Mosquitto for throughput and connection counts,
 * Mosquitto/Rampart for latency and memory.
 */
final class Report {
    static final String BASELINE = "Mosquitto";
    static final String CANDIDATE = "Rampart";

    private final PrintStream out;
    private final Map<Workload, Map<String, Outcome>> outcomes = new LinkedHashMap<>();
    private final Map<String, MemoryGauge> gauges = new LinkedHashMap<>();

    /** A workload's result on one target, or why it could not run. */
    sealed interface Outcome {
        record Done(WorkloadResult result) implements Outcome {
        }

        record Failed(String error) implements Outcome {
        }
    }

    Report(PrintStream out) {
        this.out = out;
    }

    void target(Target target) {
        gauges.put(target.name(), target.memory());
        out.printf("%-10s %s%n", target.name() + ":", target.description());
    }

    void record(Workload workload, String target, Outcome outcome) {
        outcomes.computeIfAbsent(workload, w -> new LinkedHashMap<>()).put(target, outcome);
    }

    /** True when every workload ran and its counts were consistent on every target. */
    boolean allConsistent() {
        return outcomes.values().stream().flatMap(m -> m.values().stream()).allMatch(o ->
                o instanceof Outcome.Done done && done.result().problem().isEmpty());
    }

    /** The table of {@code workload}. */
    void printTable(Workload workload) {
        Map<String, Outcome> byTarget = outcomes.getOrDefault(workload, Map.of());
        List<String> targets = new ArrayList<>(byTarget.keySet());
        targets.sort(java.util.Comparator.comparing(name -> !name.equals(BASELINE)));
        out.println();
        out.println("== " + workload.cliName() + ": " + workload.title() + " ==");
        out.printf("%-34s", "");
        for (String target : targets) {
            out.printf("%16s", target);
        }
        boolean ratio = targets.contains(BASELINE) && targets.contains(CANDIDATE);
        out.println(ratio ? String.format("%10s", "ratio") : "");
        Map<String, Map<String, Measure>> rows = rows(workload, byTarget);
        for (Map.Entry<String, Map<String, Measure>> row : rows.entrySet()) {
            out.printf("%-34s", row.getKey());
            for (String target : targets) {
                Measure measure = row.getValue().get(target);
                out.printf("%16s", measure == null ? "-" : format(measure.value()));
            }
            if (ratio) {
                out.printf("%10s", ratio(row.getValue()).map(r -> String.format(Locale.ROOT, "%.2f", r)).orElse("-"));
            }
            out.println();
        }
        for (String target : targets) {
            Outcome outcome = byTarget.get(target);
            switch (outcome) {
                case Outcome.Done done -> out.println("  " + target + ": " + done.result().counts()
                        + done.result().problem().map(p -> "  ** INCONSISTENT: " + p).orElse(""));
                case Outcome.Failed failed -> out.println("  " + target + ": ** FAILED: " + failed.error());
            }
        }
        if (workload == Workload.IDLE) {
            gauges.forEach((target, gauge) -> out.println("  " + target + " memory: " + memoryNote(target, gauge)));
        }
    }

    /** Every row of every workload with its ratio, for the closing note. */
    void printSummary() {
        out.println();
        out.println("== summary (ratio >= 1.0: Rampart at least as good; throughput Rampart/Mosquitto, latency and memory"
                + " Mosquitto/Rampart) ==");
        for (Workload workload : outcomes.keySet()) {
            Map<String, Map<String, Measure>> rows = rows(workload, outcomes.get(workload));
            for (Map.Entry<String, Map<String, Measure>> row : rows.entrySet()) {
                Measure baseline = row.getValue().get(BASELINE);
                Measure candidate = row.getValue().get(CANDIDATE);
                out.printf("%-9s %-34s %14s %14s %8s%n", workload.cliName(), row.getKey(),
                        baseline == null ? "-" : format(baseline.value()), candidate == null ? "-" : format(candidate.value()),
                        ratio(row.getValue()).map(r -> String.format(Locale.ROOT, "%.2f", r)).orElse("-"));
            }
        }
        out.println(allConsistent() ? "all counts consistent" : "** some workloads failed or had inconsistent counts (see above)");
    }

    /**
     * Measures by row name, then by target. For an in-process broker the JVM figure holds the broker and the bench
     * clients; its broker row is that figure minus the clients' own cost measured against an out-of-process broker.
     */
    private Map<String, Map<String, Measure>> rows(Workload workload, Map<String, Outcome> byTarget) {
        Map<String, Map<String, Measure>> rows = new LinkedHashMap<>();
        Optional<Double> clientCost = workload == Workload.IDLE ? clientCost(byTarget) : Optional.empty();
        for (Map.Entry<String, Outcome> entry : byTarget.entrySet()) {
            if (!(entry.getValue() instanceof Outcome.Done done)) {
                continue;
            }
            for (Measure measure : done.result().measures()) {
                if (measure.name().equals(Connections.CLIENT_KIB) && gauges.get(entry.getKey()) instanceof MemoryGauge.ThisJvm) {
                    double broker = measure.value() - clientCost.orElse(0.0);
                    rows.computeIfAbsent(Connections.BROKER_KIB, k -> new LinkedHashMap<>())
                            .put(entry.getKey(), new Measure(Connections.BROKER_KIB, broker, false));
                }
                rows.computeIfAbsent(measure.name(), k -> new LinkedHashMap<>()).put(entry.getKey(), measure);
            }
        }
        // Broker memory first, the clients' own cost (a by-product) last.
        Map<String, Measure> client = rows.remove(Connections.CLIENT_KIB);
        if (client != null) {
            rows.put(Connections.CLIENT_KIB, client);
        }
        return rows;
    }

    /** The bench clients' own KiB/connection, measured while an out-of-process broker held them. */
    private Optional<Double> clientCost(Map<String, Outcome> byTarget) {
        for (Map.Entry<String, Outcome> entry : byTarget.entrySet()) {
            if (entry.getValue() instanceof Outcome.Done done && gauges.get(entry.getKey()) instanceof MemoryGauge.ProcessRss) {
                Optional<Measure> client = done.result().measure(Connections.CLIENT_KIB);
                if (client.isPresent()) {
                    return Optional.of(client.get().value());
                }
            }
        }
        return Optional.empty();
    }

    private String memoryNote(String target, MemoryGauge gauge) {
        Set<String> outOfProcess = new LinkedHashSet<>();
        gauges.forEach((name, g) -> {
            if (g instanceof MemoryGauge.ProcessRss) {
                outOfProcess.add(name);
            }
        });
        return switch (gauge) {
            case MemoryGauge.ThisJvm jvm -> jvm.method() + ", minus the bench clients' own cost"
                    + (outOfProcess.isEmpty() ? " (NOT subtracted: no out-of-process broker in this run, so the figure"
                    + " includes the clients)" : " measured the same way against " + String.join(", ", outOfProcess));
            case MemoryGauge.ProcessRss rss -> rss.method() + " delta";
            case MemoryGauge.Unknown unknown -> unknown.method();
        };
    }

    private static Optional<Double> ratio(Map<String, Measure> row) {
        Measure baseline = row.get(BASELINE);
        Measure candidate = row.get(CANDIDATE);
        if (baseline == null || candidate == null) {
            return Optional.empty();
        }
        double numerator = baseline.higherIsBetter() ? candidate.value() : baseline.value();
        double denominator = baseline.higherIsBetter() ? baseline.value() : candidate.value();
        return denominator > 0 ? Optional.of(numerator / denominator) : Optional.empty();
    }

    private static String format(double value) {
        return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }
}
