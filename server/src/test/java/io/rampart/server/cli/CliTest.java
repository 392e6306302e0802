package io.rampart.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line's behaviour that needs no node: usage errors and connection-setting errors. */
class CliTest {
    @TempDir
    Path temp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine line = Cli.commandLine(Map.of());
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        return line.execute(args);
    }

    @Test
    void aNounWithoutAVerbListsTheVerbs() {
        assertThat(run("cert")).isEqualTo(2);
        assertThat(err.toString()).contains("give a verb").contains("revoke").contains("list");
    }

    @Test
    void aVerbAgainstADirectoryWithoutANodeSaysHowToStartOne() {
        int code = run("thing", "list", "--data", temp.toString());

        assertThat(code).isEqualTo(Cli.FAILED);
        assertThat(err.toString()).startsWith("error: no ").contains("endpoint.json").contains("rampart server --data");
    }

    @Test
    void anUnknownActionIsRefusedWithTheAcceptedOnes() {
        assertThatThrownBy(() -> PolicyCommand.actionType("iot:Dance"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("iot:Publish");
        assertThat(PolicyCommand.actionType("iot:Publish")).hasToString("PUBLISH");
        assertThat(PolicyCommand.actionType("subscribe")).hasToString("SUBSCRIBE");
    }

    @Test
    void thePolicyNameDefaultsToTheFileNameWithoutExtension() {
        assertThat(PolicyCommand.policyNameFor(Path.of("/tmp/sensor-policy.json"))).isEqualTo("sensor-policy");
        assertThat(PolicyCommand.policyNameFor(Path.of("plain"))).isEqualTo("plain");
    }

    @Test
    void serverRefusesAnUnsupportedDatabaseUrlBeforeCreatingAnything() {
        Path data = temp.resolve("data");

        int code = run("server", "--data", data.toString(), "--db", "jdbc:mysql://127.0.0.1/rampart?password=hunter2",
                "--api-port", "0", "--bind", "127.0.0.1");

        assertThat(code).isEqualTo(Cli.FAILED);
        assertThat(err.toString()).startsWith("error: unsupported JDBC URL").contains("jdbc:postgresql://")
                .doesNotContain("hunter2");
        assertThat(data).doesNotExist();
    }

    @Test
    void serverRefusesAnUnknownCaKeyAlgorithm() {
        Path data = temp.resolve("data");

        int code = run("server", "--data", data.toString(), "--ca-key-algorithm", "dsa-1024");

        assertThat(code).isEqualTo(Cli.FAILED);
        assertThat(err.toString()).contains("dsa-1024");
        assertThat(data).doesNotExist();
    }

    @Test
    void serverRefusesASecurityTrailWindowUnderOneSecondOrAZeroCap() {
        Path data = temp.resolve("data");

        assertThat(run("server", "--data", data.toString(), "--security-trail-window", "0")).isNotZero();
        assertThat(err.toString()).contains("the security trail window must be at least 1 second, got PT0S");
        assertThat(run("server", "--data", data.toString(), "--security-trail-max-records", "0")).isNotZero();
        assertThat(err.toString()).contains("the security trail needs at least 1 record per window, got 0");
        assertThat(data).doesNotExist();
    }

    @Test
    void serverRefusesAFindingsTopicWithAWildcardAndAWebhookThatIsNotAnHttpUrl() {
        Path data = temp.resolve("data");

        assertThat(run("server", "--data", data.toString(), "--audit-findings-topic", "alerts/+/audit")).isNotZero();
        assertThat(err.toString()).contains("--audit-findings-topic must be a topic name or off")
                .contains("must not contain the wildcard '+'");
        assertThat(run("server", "--data", data.toString(), "--audit-webhook", "ftp://hooks.example/audit")).isNotZero();
        assertThat(err.toString()).contains("--audit-webhook must be an http or https URL, got scheme 'ftp'");
        assertThat(run("server", "--data", data.toString(), "--audit-webhook", "https://hooks example/x?token=hunter2"))
                .isNotZero();
        assertThat(err.toString()).contains("--audit-webhook must be an http or https URL: Illegal character in authority");
        assertThat(run("server", "--data", data.toString(), "--audit-webhook", "https:///audit?token=hunter2")).isNotZero();
        assertThat(err.toString()).contains("--audit-webhook must name a host, got https:///audit?<redacted>")
                .doesNotContain("hunter2");
        assertThat(data).doesNotExist();
    }

    @Test
    void everyVerbHasHelp() {
        assertThat(run("policy", "test", "--help")).isZero();
        assertThat(out.toString()).contains("--client-id").contains("${iot:ClientId}").contains("--resource");
    }

    @Test
    void helpListsEveryNoun() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("server", "device", "thing", "cert", "policy", "access-key");
    }
}
