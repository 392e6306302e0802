package io.rampart.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rampart.pki.Pem;
import io.rampart.server.Node;
import io.rampart.trail.TrailConfig;
import io.rampart.trail.TrailVerifier;
import io.rampart.trail.VerificationReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rampart trail lookup|verify}: query the activity trail through the API, or verify its files offline. */
@Command(name = "trail", description = "Look up recorded API calls and gateway security events, or verify the trail's integrity offline.",
        subcommands = {TrailCommand.Lookup.class, TrailCommand.Verify.class})
public final class TrailCommand extends Group {

    @Command(name = "lookup", description = "Recorded events, newest first (LookupEvents).")
    static final class Lookup extends NodeCommand {
        @Option(names = "--start-time", paramLabel = "TIME", description = "ISO-8601 time, e.g. 2026-01-01T00:00:00Z.")
        String startTime;
        @Option(names = "--end-time", paramLabel = "TIME")
        String endTime;
        @Option(names = "--event-source", paramLabel = "SOURCE",
                description = "iot.amazonaws.com (API calls), rampart.gateway (MQTT security events) or rampart.trail.")
        String eventSource;
        @Option(names = "--event-name", paramLabel = "NAME",
                description = "AWS operation name, e.g. CreateThing, or a gateway event, e.g. AuthorizationFailure.")
        String eventName;
        @Option(names = "--principal", paramLabel = "ID",
                description = "Access key id of the caller, or certificate id of a device.")
        String principal;
        @Option(names = "--resource", paramLabel = "NAME", description = "A resource name from the request path.")
        String resource;
        @Option(names = "--source-ip", paramLabel = "IP")
        String sourceIp;
        @Option(names = "--max-results", paramLabel = "N", defaultValue = "50", description = "At most N events (default 50).")
        int maxResults;

        @Override
        int run(NodeConnection node, Output out) {
            ArrayNode events = out.array();
            List<List<String>> rows = new ArrayList<>();
            String token = null;
            do {
                StringBuilder path = new StringBuilder("/rampart/trail/events?maxResults=" + Math.min(250, maxResults - events.size()));
                add(path, "startTime", startTime);
                add(path, "endTime", endTime);
                add(path, "eventSource", eventSource);
                add(path, "eventName", eventName);
                add(path, "principal", principal);
                add(path, "resource", resource);
                add(path, "sourceIp", sourceIp);
                add(path, "nextToken", token);
                JsonNode page = node.call("GET", path.toString(), null);
                for (JsonNode e : page.path("events")) {
                    events.add(e);
                    rows.add(List.of(e.path("eventTime").asText(), e.path("eventName").asText(), e.path("principal").asText(""),
                            e.path("sourceIp").asText(""), String.valueOf(e.path("status").asInt()), e.path("errorCode").asText("")));
                }
                token = page.hasNonNull("nextToken") ? page.get("nextToken").asText() : null;
            } while (token != null && events.size() < maxResults);
            ObjectNode document = out.object();
            document.set("events", events);
            out.table(document, List.of("TIME", "EVENT", "PRINCIPAL", "SOURCE IP", "STATUS", "ERROR"), rows);
            return 0;
        }

        private static void add(StringBuilder path, String name, String value) {
            if (value != null) {
                path.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
    }

    @Command(name = "verify", description = {"Verify the trail's files (no running node needed): exit 0 when intact, "
            + "1 naming each modified, deleted, inserted or reordered record, missing segment or digest."})
    static final class Verify implements Callable<Integer> {
        @Option(names = "--data", paramLabel = "DIR", defaultValue = "rampart-data", description = "The node's data directory (default ./rampart-data).")
        Path data;
        @Option(names = "--trail-dir", paramLabel = "DIR", description = "The trail directory (default DIR/trail).")
        Path trailDir;
        @Option(names = "--public-key", paramLabel = "FILE",
                description = "The trail's public key PEM (default the trail's " + TrailConfig.PUBLIC_KEY_FILE
                        + "; pass a copy kept elsewhere to detect a replaced key).")
        Path publicKey;
        @Option(names = "--from", paramLabel = "TIME", description = "Only segments and digests from this ISO-8601 time.")
        Instant from;
        @Option(names = "--to", paramLabel = "TIME", description = "Only segments and digests up to this ISO-8601 time.")
        Instant to;
        @Option(names = "--json", description = "Print one JSON document instead of text.")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Path dir = trailDir != null ? trailDir : data.resolve(Node.TRAIL_DIRECTORY);
            Path keyFile = publicKey != null ? publicKey : dir.resolve(TrailConfig.PUBLIC_KEY_FILE);
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException(dir + " is not a trail directory; give --data DIR or --trail-dir DIR");
            }
            try {
                VerificationReport report = TrailVerifier.verify(dir, Pem.parsePublicKey(Files.readString(keyFile)), from, to);
                Output out = new Output(spec.commandLine().getOut(), json);
                ObjectNode document = out.object().put("ok", report.ok()).put("recordsChecked", report.recordsChecked())
                        .put("digestsChecked", report.digestsChecked());
                ArrayNode problems = document.putArray("problems");
                StringBuilder text = new StringBuilder();
                for (VerificationReport.Problem p : report.problems()) {
                    problems.addObject().put("kind", p.kind().name()).put("file", p.file()).put("line", p.line())
                            .put("seq", p.seq()).put("message", p.message());
                    text.append(p).append('\n');
                }
                text.append(report.ok() ? "OK: " : "FAILED: ").append(report.recordsChecked()).append(" records, ")
                        .append(report.digestsChecked()).append(" signed digests checked");
                out.print(document, text.toString());
                return report.ok() ? 0 : 1;
            } catch (IOException e) {
                throw new UncheckedIOException("the trail in " + dir + " could not be read: " + e.getMessage(), e);
            }
        }
    }
}
