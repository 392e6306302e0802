package io.rampart.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/rampart server} as a user runs it: a real process on the packaged jar, reachable through the files it
 * writes, stopped by SIGTERM. Runs in the integration-test phase of {@code mvn verify} (after the jar is built).
 */
class ServerProcessIT {
    @TempDir
    Path temp;

    @Test
    void binRampartServerStartsServesTheApiAndStopsGracefullyOnSigterm() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path data = temp.resolve("data");
        Path log = temp.resolve("server.log");
        ProcessBuilder builder = new ProcessBuilder(root.resolve("bin/rampart").toString(), "server",
                "--data", data.toString(), "--api-port", "0", "--mqtt-port", "0", "--bind", "127.0.0.1",
                "--host", "localhost")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().remove("RAMPART_KEY_SECRET");
        Process server = builder.start();
        try {
            Path endpoint = data.resolve("endpoint.json");
            // A readiness wait, not a speed assertion: the node writes endpoint.json once its API listens.
            Instant giveUp = Instant.now().plus(Duration.ofSeconds(60));
            while (!Files.exists(endpoint) && server.isAlive() && Instant.now().isBefore(giveUp)) {
                Thread.sleep(100);
            }
            assertThat(endpoint).as(read(log)).exists();

            CliRun things = CliRun.against(data, "thing", "list", "--json");
            assertThat(things.exitCode()).as(things.err()).isZero();
            assertThat(things.json().get("things")).isEmpty();
            assertThat(read(log)).contains("rampart: API        https://localhost:");

            server.destroy(); // SIGTERM
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).as(read(log)).isTrue();
            // 143 = 128 + SIGTERM: the JVM ran its shutdown hooks and exited on the signal.
            assertThat(server.exitValue()).isEqualTo(143);
            assertThat(read(log)).contains("node stopped");
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void withLogFormatJsonEveryStderrLineIsAJsonObjectWithTheFields() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path data = temp.resolve("json-data");
        Path stderr = temp.resolve("stderr.log");
        ProcessBuilder builder = new ProcessBuilder(root.resolve("bin/rampart").toString(), "server",
                "--data", data.toString(), "--api-port", "0", "--mqtt-port", "0", "--bind", "127.0.0.1",
                "--host", "localhost", "--log-format", "json")
                .redirectError(stderr.toFile())
                .redirectOutput(temp.resolve("stdout.log").toFile());
        builder.environment().remove("RAMPART_KEY_SECRET");
        builder.environment().remove("RAMPART_LOG_LEVEL");
        Process server = builder.start();
        try {
            Instant giveUp = Instant.now().plus(Duration.ofSeconds(60));
            while (!Files.exists(data.resolve("endpoint.json")) && server.isAlive() && Instant.now().isBefore(giveUp)) {
                Thread.sleep(100);
            }
            assertThat(data.resolve("endpoint.json")).as(read(stderr)).exists();
            server.destroy();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).as(read(stderr)).isTrue();
            // bin/rampart may print its own build notice before Java starts; the node's lines are the JSON ones.
            List<String> lines = Files.readAllLines(stderr).stream().filter(line -> line.startsWith("{")).toList();
            assertThat(lines).as(read(stderr)).isNotEmpty();
            ObjectMapper mapper = new ObjectMapper();
            List<JsonNode> events = new java.util.ArrayList<>();
            for (String line : lines) {
                JsonNode event = mapper.readTree(line);
                assertThat(event.fieldNames()).toIterable().as(line).contains("timestamp", "level", "logger", "thread", "event");
                assertThat(Instant.parse(event.get("timestamp").asText())).isBefore(Instant.now());
                events.add(event);
            }
            assertThat(events).anySatisfy(event -> {
                assertThat(event.get("component").asText()).isEqualTo("server");
                assertThat(event.get("event").asText()).startsWith("API listening on 127.0.0.1:");
            });
            assertThat(events).anySatisfy(event -> assertThat(event.get("event").asText()).startsWith("node stopped"));
        } finally {
            server.destroyForcibly();
        }
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }
}
