package io.rampart.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.rampart.common.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** One run of the {@code rampart} command line in this JVM: exit code, stdout and stderr. */
record CliRun(int exitCode, String out, String err) {

    static CliRun run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine line = Cli.commandLine(Map.of());
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        int code = line.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** Runs a verb against the node whose data directory is {@code data}. */
    static CliRun against(Path data, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--data");
        all.add(data.toString());
        return run(all.toArray(String[]::new));
    }

    JsonNode json() {
        try {
            return Json.newMapper().readTree(out);
        } catch (IOException e) {
            throw new UncheckedIOException("stdout is not JSON: " + out + "\nstderr: " + err, e);
        }
    }

    /** Opens an SDK connection to the node in {@code data}, as the verbs do, for assertions. */
    static NodeConnection connect(Path data) {
        ConnectionOptions options = new ConnectionOptions();
        options.data = data;
        options.profile = "rampart";
        return options.connect();
    }
}
