package io.rampart.bench.mqtt;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Rampart's gateway in its own JVM ({@link RampartProcess}), started with this JVM's class path: its memory is then
 * read as Mosquitto's is (RSS of the process), and it shares neither heap, GC nor CPU scheduling with the bench
 * clients. Stopped by closing its standard input.
 */
final class ForkedRampartTarget implements Target {
    private final Path dir;
    private final Process process;
    private final Endpoint endpoint;
    private final String transport;

    private ForkedRampartTarget(Path dir, Process process, Endpoint endpoint, String transport) {
        this.dir = dir;
        this.process = process;
        this.endpoint = endpoint;
        this.transport = transport;
    }

    /**
     * The system property holding the gateway JVM's options, space-separated: {@code bin/mqtt-bench} sets it to the
     * node's memory settings ({@code rampart_node_jvm_opts} in {@code bin/jdk.sh}, which {@code bin/rampart} uses), so
     * the forked gateway runs as a node does.
     */
    static final String JVM_OPTIONS = "rampart.bench.gatewayJvmOptions";

    /**
     * Forks the gateway JVM and waits up to 60 s for its port. Its options come from {@link #JVM_OPTIONS}, or are
     * {@code -Xmx<heap>} (e.g. "1g") when that property is not set.
     */
    static ForkedRampartTarget start(BenchPki pki, String heap) {
        Path dir;
        try {
            dir = Files.createTempDirectory("rampart-bench-gateway-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the gateway", e);
        }
        pki.writeServerFiles(dir);
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        String options = System.getProperty(JVM_OPTIONS, "").strip();
        if (options.isEmpty()) {
            command.add("-Xmx" + heap);
        } else {
            command.addAll(List.of(options.split("\\s+")));
        }
        if (Runtime.version().feature() >= 24) {
            command.add("--enable-native-access=ALL-UNNAMED");
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.add("-Dlogback.configurationFile=io/rampart/bench/mqtt/logback.xml");
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), RampartProcess.class.getName(), dir.toString()));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            deleteTree(dir);
            throw new UncheckedIOException("cannot start the gateway JVM: " + e.getMessage(), e);
        }
        BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        try {
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    return stdout.readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).get(60, TimeUnit.SECONDS);
            if (line == null || !line.startsWith(RampartProcess.READY)) {
                throw new IllegalStateException("the gateway JVM did not report its port (exit status "
                        + (process.isAlive() ? "-, still running" : process.exitValue()) + "); its errors are above");
            }
            String[] parts = line.substring(RampartProcess.READY.length()).split(" ", 2);
            Endpoint endpoint = new Endpoint("127.0.0.1", Integer.parseInt(parts[0]), Optional.of(pki.clientTls()));
            return new ForkedRampartTarget(dir, process, endpoint, parts.length > 1 ? parts[1] : "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(process, dir);
            throw new IllegalStateException("interrupted while starting the gateway JVM", e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            stop(process, dir);
            throw new IllegalStateException("the gateway JVM did not start within 60 s: " + e, e);
        }
    }

    @Override
    public String name() {
        return Report.CANDIDATE;
    }

    @Override
    public String description() {
        return "gateway in its own JVM (PID " + process.pid() + "), " + transport + " on " + endpoint.host() + ":"
                + endpoint.port() + " (client certificate required, policy engine authorizes, sessions durable in SQLite)";
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public MemoryGauge memory() {
        return new MemoryGauge.ProcessRss(process.pid());
    }

    @Override
    public void close() {
        stop(process, dir);
    }

    private static void stop(Process process, Path dir) {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        deleteTree(dir);
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
