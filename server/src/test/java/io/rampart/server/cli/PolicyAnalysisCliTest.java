package io.rampart.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rampart.server.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code rampart policy analyze|diff|explain} against one in-JVM node (real TLS, SigV4, SQLite). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyAnalysisCliTest {
    // Region and account written out: with arn:aws:iot:*:*: the region's * may expand across the colons (IAM's
    // rule for a * ending an ARN segment), and the analyzer rightly finds topics such as ":topic/lamps/q/".
    private static final String PER_THING = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:us-east-1:000000000000:client/${iot:Connection.Thing.ThingName}"},
              {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"], "Resource": "arn:aws:iot:us-east-1:000000000000:topic/lamps/${iot:Connection.Thing.ThingName}/*"},
              {"Effect": "Allow", "Action": "iot:Subscribe", "Resource": "arn:aws:iot:us-east-1:000000000000:topicfilter/lamps/${iot:Connection.Thing.ThingName}/*"}
            ]}""";
    private static final String LEAKY = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:us-east-1:000000000000:client/${iot:ClientId}"},
              {"Effect": "Allow", "Action": "iot:Publish", "Resource": "arn:aws:iot:us-east-1:000000000000:topic/lamps/${iot:ClientId}*"}
            ]}""";

    @TempDir
    static Path temp;

    private Path data;
    private Node node;
    private Path perThing;
    private Path leaky;

    @BeforeAll
    void startNode() throws Exception {
        data = temp.resolve("data");
        node = TestNodes.start(data);
        perThing = Files.writeString(temp.resolve("lamp.json"), PER_THING);
        leaky = Files.writeString(temp.resolve("leaky.json"), LEAKY);
        CliRun device = rampart("device", "create", "lamp-1", "--policy", perThing.toString(),
                "--out", temp.resolve("devices").toString(), "--json");
        assertThat(device.exitCode()).as(device.err()).isZero();
    }

    @AfterAll
    void stopNode() {
        node.close();
    }

    private CliRun rampart(String... args) {
        return CliRun.against(data, args);
    }

    private CliRun ok(String... args) {
        CliRun run = rampart(args);
        assertThat(run.exitCode()).as(run.err()).isZero();
        return run;
    }

    @Test
    void analyzeProvesAPerThingPolicyIsolatedAndPrintsOneLinePerQuestion() {
        CliRun run = ok("policy", "analyze", "lamp", "--namespace", "lamps");

        assertThat(run.out()).startsWith("policy lamp version 1 (STRICT)");
        assertThat(run.out()).containsPattern("OVERLY_PERMISSIVE +PROVED");
        assertThat(run.out()).containsPattern("SUBSCRIBE_OUTSIDE_NAMESPACE +PROVED");
        assertThat(run.out()).containsPattern("AUDIT +SAFE");
        assertThat(run.out()).doesNotContain("COUNTEREXAMPLE");
    }

    @Test
    void analyzeShowsTheCounterexampleOfALeakyDocument() {
        CliRun run = ok("policy", "analyze", "--document", leaky.toString(), "--namespace", "lamps");

        assertThat(run.out()).containsPattern("PUBLISH_OUTSIDE_NAMESPACE +COUNTEREXAMPLE +iot:Publish arn:aws:iot:\\S+:topic/lamps/");
        assertThat(run.out()).containsPattern("AUDIT +OVERLY_PERMISSIVE +ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS");

        JsonNode json = ok("policy", "analyze", "--document", leaky.toString(), "--check", "AUDIT", "--json").json();
        JsonNode witness = json.path("results").get(0).path("witnesses").get(0);
        assertThat(witness.path("action").asText()).isEqualTo("iot:Publish");
        assertThat(witness.path("resource").asText()).contains(":topic/lamps/" + witness.path("clientId").asText());
    }

    @Test
    void analyzeAThingUsesItsCertificatesPolicies() {
        CliRun run = ok("policy", "analyze", "--thing", "lamp-1", "--namespace", "lamps", "--json");

        JsonNode results = run.json().path("results");
        assertThat(results.findValuesAsText("verdict")).isNotEmpty().allMatch("PROVED"::equals);
        assertThat(run.json().path("subject").asText()).isEqualTo("thing lamp-1");
    }

    @Test
    void diffPrintsWhatTheNewVersionAddsAndRemoves() {
        ok("policy", "create", "evolving", "--document", perThing.toString());
        try (NodeConnection connection = CliRun.connect(data)) {
            connection.iot().createPolicyVersion(r -> r.policyName("evolving").setAsDefault(true)
                    .policyDocument(PER_THING.replace("[\"iot:Publish\", \"iot:Receive\"]", "\"iot:Publish\"")
                            .replace("topic/lamps/${iot:Connection.Thing.ThingName}/*", "topic/lamps/*")));
        }

        CliRun run = ok("policy", "diff", "evolving", "--from", "1", "--to", "2");

        assertThat(run.out()).startsWith("policy evolving version 1 -> policy evolving version 2 (STRICT)");
        assertThat(run.out()).containsPattern("\\+ iot:Publish arn:aws:iot:\\S+:topic/lamps/");
        assertThat(run.out()).containsPattern("- iot:Receive arn:aws:iot:\\S+:topic/lamps/");
        assertThat(ok("policy", "diff", "--from-document", perThing.toString(), "--to-document", perThing.toString())
                .out()).contains("PROVED  both allow exactly the same requests");
    }

    @Test
    void explainShowsTheDecidingStatementAndTheAnalyzersView() {
        CliRun run = ok("policy", "explain", "lamp", "--action", "iot:Publish", "--resource", "topic/lamps/lamp-1/state",
                "--client-id", "lamp-1", "--thing-attached");

        assertThat(run.out()).startsWith("ALLOWED  iot:Publish arn:aws:iot:");
        assertThat(run.out()).contains("policy lamp statement 2: Allow");
        assertThat(run.out()).contains("analyzer: allowed");

        CliRun other = ok("policy", "explain", "lamp", "--action", "iot:Publish", "--resource", "topic/lamps/lamp-2/state",
                "--client-id", "lamp-1", "--thing-attached", "--json");
        assertThat(other.json().path("decision").asText()).isEqualTo("IMPLICIT_DENY");
        assertThat(other.json().path("analyzer").path("agrees").asBoolean()).isTrue();
    }

    @Test
    void badInputExitsWithAClearError() {
        CliRun unknown = rampart("policy", "analyze", "no-such-policy");
        assertThat(unknown.exitCode()).isEqualTo(Cli.FAILED);
        assertThat(unknown.err()).startsWith("error: ResourceNotFoundException").contains("no-such-policy");

        CliRun two = rampart("policy", "analyze", "lamp", "--thing", "lamp-1");
        assertThat(two.exitCode()).isEqualTo(Cli.FAILED);
        assertThat(two.err()).contains("give exactly one of NAME, --document, --cert, --thing, --thing-group");

        CliRun missingFile = rampart("policy", "analyze", "--document", temp.resolve("absent.json").toString());
        assertThat(missingFile.exitCode()).isEqualTo(Cli.FAILED);
        assertThat(missingFile.err()).contains("does not exist");

        CliRun badCheck = rampart("policy", "analyze", "lamp", "--check", "EVERYTHING");
        assertThat(badCheck.err()).startsWith("error: InvalidRequestException").contains("checks[] must be one of");

        CliRun noSide = rampart("policy", "diff", "--from-document", perThing.toString());
        assertThat(noSide.err()).startsWith("error: InvalidRequestException").contains("the 'to' side is missing");

        CliRun badResource = rampart("policy", "explain", "lamp", "--action", "iot:Publish", "--resource", "lamps");
        assertThat(badResource.err()).startsWith("error: InvalidRequestException").contains("must be an ARN");
    }
}
