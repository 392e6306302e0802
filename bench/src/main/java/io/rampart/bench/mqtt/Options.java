package io.rampart.bench.mqtt;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The command line of {@code bin/mqtt-bench}.
 *
 * @param quick        smoke-check sizes ({@link Scale#quick()})
 * @param workloads    which workloads, in run order (the order of {@link Workload})
 * @param targets      which of "mosquitto" and "rampart" to run
 * @param external     {@code --target host:port}: a running Rampart node instead of the in-process gateway
 * @param caFile       trusted CA (PEM) for {@code --target}
 * @param certFile     client certificate (PEM) for {@code --target}
 * @param keyFile      client private key (PEM, PKCS#8 or traditional) for {@code --target}
 * @param targetPid    PID of the {@code --target} node, to read its RSS for the idle workload
 * @param mosquittoBin the mosquitto binary to start
 * @param rampartProcess run the gateway in its own JVM instead of in-process
 */
record Options(boolean quick, List<Workload> workloads, Set<String> targets, Optional<HostPort> external,
               Optional<Path> caFile, Optional<Path> certFile, Optional<Path> keyFile, OptionalLong targetPid,
               Path mosquittoBin, boolean rampartProcess) {

    static final String USAGE = """
            usage: bin/mqtt-bench [--quick] [--workload NAME[,NAME...]] [--only mosquitto|rampart] [--rampart-process]
                                  [--target HOST:PORT --ca CA.pem --cert CERT.pem --key KEY.pem [--target-pid PID]]
                                  [--mosquitto-bin PATH]
              Runs the same MQTT workloads against Mosquitto (a mosquitto process started with a TLS listener that
              requires client certificates) and Rampart (the gateway in-process, or the node given by --target), and
              prints both figures and their ratio (>= 1.0 means Rampart is at least as good).
              workloads: idle, connect, fan-in, fan-out, qos1, latency (default: all; always run in this order)
              --quick     small counts, whole run under about a minute (smoke check; figures mean little)
              --rampart-process  the gateway in its own JVM (-Xmx1g): memory read as RSS like Mosquitto's, and no
                          heap, GC or CPU shared with the bench clients
              --target    a running Rampart node; the client certificate must be registered, ACTIVE and allowed to
                          iot:Connect as bench-*, iot:Publish/iot:Receive on topic/bench/*, iot:Subscribe on
                          topicfilter/bench/*
            """;

    /** A {@code host:port} pair. */
    record HostPort(String host, int port) {
        static HostPort parse(String text) {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                throw new IllegalArgumentException("--target must be HOST:PORT, got '" + text + "'");
            }
            try {
                return new HostPort(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--target port must be a number, got '" + text.substring(colon + 1) + "'", e);
            }
        }
    }

    static Options parse(String... args) {
        boolean quick = false;
        List<Workload> workloads = new ArrayList<>();
        Set<String> targets = new java.util.LinkedHashSet<>();
        Optional<HostPort> external = Optional.empty();
        Optional<Path> ca = Optional.empty();
        Optional<Path> cert = Optional.empty();
        Optional<Path> key = Optional.empty();
        OptionalLong pid = OptionalLong.empty();
        Path mosquitto = MosquittoTarget.DEFAULT_BINARY;
        boolean rampartProcess = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--quick" -> quick = true;
                case "--rampart-process" -> rampartProcess = true;
                case "--workload" -> {
                    for (String name : value(args, ++i, arg).split(",")) {
                        workloads.add(Workload.named(name.trim()));
                    }
                }
                case "--only" -> {
                    String which = value(args, ++i, arg);
                    if (!which.equals("mosquitto") && !which.equals("rampart")) {
                        throw new IllegalArgumentException("--only takes mosquitto or rampart, got '" + which + "'");
                    }
                    targets.add(which);
                }
                case "--target" -> external = Optional.of(HostPort.parse(value(args, ++i, arg)));
                case "--ca" -> ca = Optional.of(Path.of(value(args, ++i, arg)));
                case "--cert" -> cert = Optional.of(Path.of(value(args, ++i, arg)));
                case "--key" -> key = Optional.of(Path.of(value(args, ++i, arg)));
                case "--target-pid" -> {
                    String text = value(args, ++i, arg);
                    try {
                        pid = OptionalLong.of(Long.parseLong(text));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--target-pid must be a number, got '" + text + "'", e);
                    }
                }
                case "--mosquitto-bin" -> mosquitto = Path.of(value(args, ++i, arg));
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        if (external.isPresent() && (ca.isEmpty() || cert.isEmpty() || key.isEmpty())) {
            throw new IllegalArgumentException("--target needs --ca, --cert and --key (PEM files)");
        }
        if (external.isPresent() && rampartProcess) {
            throw new IllegalArgumentException("--rampart-process starts a gateway; --target measures a running one: pick one");
        }
        if (external.isEmpty() && (ca.isPresent() || cert.isPresent() || key.isPresent() || pid.isPresent())) {
            throw new IllegalArgumentException("--ca, --cert, --key and --target-pid go with --target");
        }
        EnumSet<Workload> chosen = workloads.isEmpty() ? EnumSet.allOf(Workload.class) : EnumSet.copyOf(workloads);
        if (targets.isEmpty()) {
            targets.add("mosquitto");
            targets.add("rampart");
        }
        return new Options(quick, List.copyOf(chosen), Set.copyOf(targets), external, ca, cert, key, pid, mosquitto,
                rampartProcess);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }
}
