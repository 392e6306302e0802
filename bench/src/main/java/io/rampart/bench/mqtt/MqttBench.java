package io.rampart.bench.mqtt;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * {@code bin/mqtt-bench}: runs the same MQTT workloads (HiveMQ MQTT client, asynchronous API, MQTT 5) against a
 * mosquitto it starts with TLS and client certificates, and against Rampart's gateway, and prints both and their
 * ratio. Everything runs on loopback; every workload is bounded in count and time. Exit status 0 when every workload
 * ran with consistent counts, 1 otherwise, 2 for a usage error.
 */
public final class MqttBench {
    private final Options options;
    private final PrintStream out;
    private final Clock clock;
    private final SecureRandom random;

    MqttBench(Options options, PrintStream out, Clock clock, SecureRandom random) {
        this.options = options;
        this.out = out;
        this.clock = clock;
        this.random = random;
    }

    public static void main(String[] args) throws InterruptedException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("mqtt-bench: " + e.getMessage());
            System.err.print(Options.USAGE);
            System.exit(2);
            return;
        }
        boolean consistent = new MqttBench(options, System.out, Clock.systemUTC(), new SecureRandom()).run();
        System.exit(consistent ? 0 : 1);
    }

    /** Runs every workload on every target; true when all counts were consistent. */
    boolean run() throws InterruptedException {
        Scale scale = options.quick() ? Scale.quick() : Scale.full();
        byte[] id = new byte[3];
        random.nextBytes(id);
        String runId = HexFormat.of().formatHex(id);
        out.printf("mqtt-bench %s run %s, %s: %d CPUs, load average %.2f, Java %s%n", options.quick() ? "--quick" : "full",
                runId, clock.instant(), Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.version());
        if (ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() > Runtime.getRuntime().availableProcessors()) {
            out.println("WARNING: the machine is busy (load average above the CPU count): figures are not comparable.");
        }
        BenchPki pki = new BenchPki(clock, random);
        List<Target> targets = new ArrayList<>();
        Report report = new Report(out);
        try {
            if (options.targets().contains("mosquitto")) {
                targets.add(MosquittoTarget.start(options.mosquittoBin(), pki));
            }
            if (options.targets().contains("rampart")) {
                targets.add(rampart(pki));
            }
            targets.forEach(report::target);
            // Workload by workload, alternating targets, so a change in machine load hits both sides alike. Idle runs
            // Rampart first: memory this JVM frees stays in its RSS and is reused, which can only make the clients'
            // own cost, measured later against Mosquitto, look smaller, and Rampart's share (the difference) larger.
            for (Workload workload : options.workloads()) {
                for (Target target : workload == Workload.IDLE ? targets.reversed() : targets) {
                    report.record(workload, target.name(), runOne(workload, target, scale, runId));
                }
                report.printTable(workload);
            }
            report.printSummary();
            return report.allConsistent();
        } finally {
            for (Target target : targets) {
                target.close();
            }
        }
    }

    private Target rampart(BenchPki pki) {
        if (options.external().isEmpty()) {
            return options.rampartProcess() ? ForkedRampartTarget.start(pki, "1g") : RampartTarget.start(pki, clock);
        }
        Options.HostPort hostPort = options.external().get();
        Endpoint endpoint = new Endpoint(hostPort.host(), hostPort.port(), Optional.of(BenchPki.clientTls(
                options.caFile().orElseThrow(), options.certFile().orElseThrow(), options.keyFile().orElseThrow())));
        MemoryGauge memory = options.targetPid().isPresent()
                ? new MemoryGauge.ProcessRss(options.targetPid().getAsLong())
                : new MemoryGauge.Unknown("pass --target-pid to read the node's RSS");
        return new ExternalTarget(Report.CANDIDATE, endpoint, memory);
    }

    private Report.Outcome runOne(Workload workload, Target target, Scale scale, String runId) throws InterruptedException {
        try {
            return new Report.Outcome.Done(workload.run(target, scale, runId));
        } catch (RuntimeException e) {
            // One workload failing on one target is reported in its table; the others still run.
            return new Report.Outcome.Failed(e.toString());
        }
    }
}
