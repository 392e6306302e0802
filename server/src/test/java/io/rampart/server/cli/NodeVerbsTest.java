package io.rampart.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rampart.pki.Pem;
import io.rampart.server.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.iot.model.CertificateStatus;
import software.amazon.awssdk.services.iot.model.Policy;

/** The rampart verbs end to end against one in-JVM node (real TLS, real SigV4, real SQLite). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeVerbsTest {
    private static final String POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}"},
              {"Effect": "Allow", "Action": "iot:Publish", "Resource": "arn:aws:iot:us-east-1:000000000000:topic/sensors/*"},
              {"Effect": "Deny", "Action": "iot:Publish", "Resource": "arn:aws:iot:us-east-1:000000000000:topic/sensors/secret"}
            ]}""";

    @TempDir
    static Path temp;

    private Path data;
    private Node node;
    private Path policyFile;

    @BeforeAll
    void startNode() throws Exception {
        data = temp.resolve("data");
        node = TestNodes.start(data);
        policyFile = Files.writeString(temp.resolve("sensor.json"), POLICY);
    }

    @AfterAll
    void stopNode() {
        node.close();
    }

    private CliRun rampart(String... args) {
        return CliRun.against(data, args);
    }

    private JsonNode createDevice(String name) {
        CliRun created = rampart("device", "create", name, "--policy", policyFile.toString(),
                "--out", temp.resolve("devices").toString(), "--json");
        assertThat(created.exitCode()).as(created.err()).isZero();
        return created.json();
    }

    @Test
    void deviceCreateMakesAThingWithAnActiveCertificateThatChainsToTheNodeCaAndHasThePolicyAttached() throws Exception {
        JsonNode device = createDevice("lamp-1");
        Path out = temp.resolve("devices");

        X509Certificate ca = certificate(out.resolve("ca.pem"));
        X509Certificate issued = certificate(out.resolve("lamp-1.cert.pem"));
        issued.verify(ca.getPublicKey());
        assertThat(Files.readString(out.resolve("ca.pem"))).isEqualTo(Files.readString(data.resolve("ca.pem")));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("lamp-1.private.key"))))
                .isEqualTo("rw-------");
        assertThat(keyMatches(privateKey(out.resolve("lamp-1.private.key")), issued)).isTrue();
        assertThat(Files.readString(out.resolve("endpoint.json"))).isEqualTo(Files.readString(data.resolve("endpoint.json")));

        String certificateArn = device.get("certificateArn").asText();
        try (NodeConnection connection = CliRun.connect(data)) {
            var iot = connection.iot();
            assertThat(iot.listThingPrincipals(r -> r.thingName("lamp-1")).principals()).containsExactly(certificateArn);
            assertThat(iot.listAttachedPolicies(r -> r.target(certificateArn)).policies())
                    .extracting(Policy::policyName).containsExactly("sensor");
            assertThat(iot.describeCertificate(r -> r.certificateId(device.get("certificateId").asText()))
                    .certificateDescription().status()).isEqualTo(CertificateStatus.ACTIVE);
        }
    }

    @Test
    void aSecondDeviceReusesTheExistingPolicyWithTheSameDocument() {
        createDevice("lamp-2");
        JsonNode second = createDevice("lamp-3");

        assertThat(second.get("policyName").asText()).isEqualTo("sensor");
        CliRun policies = rampart("policy", "list", "--json");
        assertThat(StreamSupport.stream(policies.json().get("policies").spliterator(), false)
                .filter(p -> p.get("policyName").asText().equals("sensor"))).hasSize(1);
    }

    @Test
    void deviceCreateForAnExistingThingIsRefusedBeforeAnythingIsCreated() {
        createDevice("dup-1");
        int certificatesBefore = rampart("cert", "list", "--json").json().get("certificates").size();

        CliRun again = rampart("device", "create", "dup-1", "--policy", policyFile.toString(),
                "--out", temp.resolve("other-out").toString());

        assertThat(again.exitCode()).isEqualTo(Cli.FAILED);
        assertThat(again.err()).startsWith("error: thing dup-1 already exists");
        assertThat(rampart("cert", "list", "--json").json().get("certificates")).hasSize(certificatesBefore);
        assertThat(temp.resolve("other-out/dup-1.private.key")).doesNotExist();
    }

    @Test
    void aFailureHalfWayUndoesWhatDeviceCreateHadCreated() {
        CliRun failed = rampart("device", "create", "typed-1", "--policy", policyFile.toString(), "--policy-name", "undone",
                "--thing-type", "no-such-type", "--out", temp.resolve("typed-out").toString());

        assertThat(failed.exitCode()).isEqualTo(Cli.FAILED);
        assertThat(failed.err()).startsWith("error: ResourceNotFoundException");
        assertThat(rampart("policy", "get", "undone").err()).startsWith("error: ResourceNotFoundException");
        assertThat(rampart("thing", "describe", "typed-1").err()).startsWith("error: ResourceNotFoundException");
    }

    @Test
    void policyTestSaysAllowedExplicitDenyOrImplicitDenyWithTheDecidingPolicy() {
        String certificateId = createDevice("meter-1").get("certificateId").asText();

        CliRun allowed = rampart("policy", "test", "--cert", certificateId, "--client-id", "meter-1",
                "--action", "iot:Publish", "--resource", "topic/sensors/temperature");
        CliRun denied = rampart("policy", "test", "--cert", certificateId, "--client-id", "meter-1",
                "--action", "iot:Publish", "--resource", "topic/sensors/secret");
        CliRun implicit = rampart("policy", "test", "--cert", certificateId, "--client-id", "meter-1",
                "--action", "iot:Publish", "--resource", "topic/other", "--json");

        assertThat(allowed.exitCode()).as(allowed.err()).isZero();
        assertThat(allowed.out()).startsWith("ALLOWED").contains("sensor");
        assertThat(denied.out()).startsWith("EXPLICIT_DENY").contains("sensor");
        JsonNode result = implicit.json().get("results").get(0);
        assertThat(result.get("decision").asText()).isEqualTo("IMPLICIT_DENY");
        assertThat(result.get("resources").get(0).asText()).isEqualTo("arn:aws:iot:us-east-1:000000000000:topic/other");
    }

    @Test
    void certRevokeMakesDescribeCertificateSayRevokedAndItCannotBeActivatedAgain() {
        String certificateId = createDevice("old-1").get("certificateId").asText();

        CliRun revoked = rampart("cert", "revoke", certificateId);
        CliRun described = rampart("cert", "describe", certificateId, "--json");
        CliRun reactivated = rampart("cert", "activate", certificateId);

        assertThat(revoked.exitCode()).as(revoked.err()).isZero();
        assertThat(described.json().get("status").asText()).isEqualTo("REVOKED");
        assertThat(described.json().get("things").get(0).asText()).isEqualTo("old-1");
        assertThat(reactivated.exitCode()).isEqualTo(Cli.FAILED);
        assertThat(reactivated.err()).startsWith("error: CertificateStateException");
    }

    @Test
    void certDeactivateAndActivateToggleTheStatus() {
        String certificateId = createDevice("toggle-1").get("certificateId").asText();

        rampart("cert", "deactivate", certificateId);
        String inactive = rampart("cert", "describe", certificateId, "--json").json().get("status").asText();
        rampart("cert", "activate", certificateId);
        String active = rampart("cert", "describe", certificateId, "--json").json().get("status").asText();

        assertThat(inactive).isEqualTo("INACTIVE");
        assertThat(active).isEqualTo("ACTIVE");
    }

    @Test
    void thingVerbsListDescribeAndDelete() {
        try (NodeConnection connection = CliRun.connect(data)) {
            connection.iot().createThing(r -> r.thingName("bare-1"));
        }

        CliRun list = rampart("thing", "list");
        CliRun describe = rampart("thing", "describe", "bare-1");
        CliRun delete = rampart("thing", "delete", "bare-1");
        CliRun gone = rampart("thing", "describe", "bare-1");

        assertThat(list.out()).contains("NAME").contains("bare-1");
        assertThat(describe.out()).contains("arn:aws:iot:us-east-1:000000000000:thing/bare-1");
        assertThat(delete.exitCode()).as(delete.err()).isZero();
        assertThat(gone.exitCode()).isEqualTo(Cli.FAILED);
        assertThat(gone.err()).startsWith("error: ResourceNotFoundException");
    }

    @Test
    void policyVerbsCreateGetAndDeleteAndRefuseAMalformedDocument() throws Exception {
        Path bad = Files.writeString(temp.resolve("bad.json"), "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Maybe\"}]}");

        CliRun created = rampart("policy", "create", "verbs-1", "--document", policyFile.toString());
        CliRun got = rampart("policy", "get", "verbs-1", "--json");
        CliRun malformed = rampart("policy", "create", "verbs-2", "--document", bad.toString());
        CliRun deleted = rampart("policy", "delete", "verbs-1");

        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(got.json().get("policyDocument").get("Statement")).hasSize(3);
        assertThat(malformed.exitCode()).isEqualTo(Cli.FAILED);
        assertThat(malformed.err()).startsWith("error: MalformedPolicyException");
        assertThat(deleted.exitCode()).as(deleted.err()).isZero();
        assertThat(rampart("policy", "get", "verbs-1").err()).startsWith("error: ResourceNotFoundException");
    }

    @Test
    void aReadOnlyKeyCanListButNotCreate() {
        Path credentials = temp.resolve("read-only.credentials");

        CliRun created = rampart("access-key", "create", "--read-only", "--name", "auditor", "--out", credentials.toString());
        CliRun list = rampart("thing", "list", "--credentials", credentials.toString());
        CliRun create = rampart("policy", "create", "ro-1", "--document", policyFile.toString(),
                "--credentials", credentials.toString());

        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).doesNotContain("aws_secret_access_key");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(create.exitCode()).isEqualTo(Cli.FAILED);
        assertThat(create.err()).startsWith("error: ");
        assertThat(rampart("policy", "get", "ro-1").err()).startsWith("error: ResourceNotFoundException");
        CliRun keys = rampart("access-key", "list", "--json");
        assertThat(keys.json().get("accessKeys").findValuesAsText("name")).contains("admin", "auditor");
    }

    @Test
    void accessKeysCanBeCreatedPrintedOnceAndDeleted() {
        CliRun created = rampart("access-key", "create", "--name", "ci", "--json");
        String id = created.json().get("accessKeyId").asText();

        CliRun deleted = rampart("access-key", "delete", id);
        CliRun again = rampart("access-key", "delete", id);

        assertThat(created.json().get("secretAccessKey").asText()).hasSize(40);
        assertThat(deleted.exitCode()).as(deleted.err()).isZero();
        assertThat(again.exitCode()).isEqualTo(Cli.FAILED);
        assertThat(again.err()).startsWith("error: ResourceNotFoundException");
    }

    @Test
    void wrongCredentialsAreRefusedWithTheAwsErrorType() throws Exception {
        Path wrong = Files.writeString(temp.resolve("wrong.credentials"),
                "[rampart]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key = " + "x".repeat(40) + "\n");

        CliRun list = rampart("thing", "list", "--credentials", wrong.toString());

        assertThat(list.exitCode()).isEqualTo(Cli.FAILED);
        assertThat(list.err()).startsWith("error: UnrecognizedClientException");
    }

    @Test
    void explicitConnectionSettingsWorkWithoutADataDirectoryAndTheDeviceEndpointIsDerived() throws Exception {
        Path empty = Files.createDirectories(temp.resolve("no-node-here"));
        Path out = temp.resolve("explicit-out");

        CliRun created = CliRun.run("device", "create", "remote-1", "--policy", policyFile.toString(), "--out", out.toString(),
                "--data", empty.toString(), "--endpoint", "https://localhost:" + node.apiPort(),
                "--ca", data.resolve("ca.pem").toString(), "--credentials", data.resolve("credentials").toString());

        assertThat(created.exitCode()).as(created.err()).isZero();
        JsonNode endpoint = io.rampart.common.Json.newMapper().readTree(out.resolve("endpoint.json").toFile());
        assertThat(endpoint.get("host").asText()).isEqualTo("localhost");
        assertThat(endpoint.get("apiPort").asInt()).isEqualTo(node.apiPort());
        assertThat(endpoint.get("mqttPort").asInt()).isEqualTo(8883);
        assertThat(endpoint.get("accountId").asText()).isEqualTo("000000000000");
        assertThat(endpoint.get("region").asText()).isEqualTo("us-east-1");
    }

    @Test
    void aProfileThatIsNotInTheCredentialsFileIsNamedInTheError() {
        CliRun list = rampart("thing", "list", "--profile", "nope");

        assertThat(list.exitCode()).isEqualTo(Cli.FAILED);
        assertThat(list.err()).startsWith("error: profile [nope] is not in").contains("rampart");
    }

    @Test
    void unknownAndMalformedCertificateIdsGetTheAwsErrors() {
        CliRun unknown = rampart("cert", "revoke", "0".repeat(64));
        CliRun malformed = rampart("cert", "describe", "not-an-id");

        assertThat(unknown.exitCode()).isEqualTo(Cli.FAILED);
        assertThat(unknown.err()).startsWith("error: ResourceNotFoundException");
        assertThat(malformed.exitCode()).isEqualTo(Cli.FAILED);
        assertThat(malformed.err()).startsWith("error: InvalidRequestException");
    }

    @Test
    void existingOutputFilesAreNeverOverwritten() throws Exception {
        Path out = Files.createDirectories(temp.resolve("occupied"));
        Files.writeString(out.resolve("taken-1.private.key"), "someone else's key");
        Path keyFile = Files.writeString(temp.resolve("existing.credentials"), "keep me");
        int keysBefore = rampart("access-key", "list", "--json").json().get("accessKeys").size();

        CliRun device = rampart("device", "create", "taken-1", "--policy", policyFile.toString(), "--out", out.toString());
        CliRun key = rampart("access-key", "create", "--out", keyFile.toString());

        assertThat(device.exitCode()).isEqualTo(Cli.FAILED);
        assertThat(device.err()).contains("taken-1.private.key already exists");
        assertThat(out.resolve("taken-1.private.key")).hasContent("someone else's key");
        assertThat(rampart("thing", "describe", "taken-1").err()).startsWith("error: ResourceNotFoundException");
        assertThat(key.exitCode()).isEqualTo(Cli.FAILED);
        assertThat(keyFile).hasContent("keep me");
        assertThat(rampart("access-key", "list", "--json").json().get("accessKeys")).hasSize(keysBefore);
    }

    @Test
    void aCaFileThatIsNotPemIsNamedInTheError() throws Exception {
        Path notPem = Files.writeString(temp.resolve("not-a-ca.pem"), "hello");

        CliRun list = rampart("thing", "list", "--ca", notPem.toString());

        assertThat(list.exitCode()).isEqualTo(Cli.FAILED);
        assertThat(list.err()).startsWith("error: ").contains(notPem.toString());
    }

    @Test
    void theJsonOutputOfListsIsOneDocument() {
        createDevice("json-1");

        JsonNode things = rampart("thing", "list", "--json").json();

        assertThat(things.get("things").findValuesAsText("thingName")).contains("json-1");
    }

    private static X509Certificate certificate(Path file) throws Exception {
        try (var in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static PrivateKey privateKey(Path file) throws Exception {
        return Pem.parsePrivateKey(Files.readString(file));
    }

    private static boolean keyMatches(PrivateKey key, X509Certificate certificate) throws Exception {
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(new byte[] {1, 2, 3});
        return verifier.verify(signature);
    }

    @Test
    void trailLookupShowsTheCallsTheVerbsMadeAndTrailVerifyPassesOffline() {
        createDevice("trail-lamp");
        CliRun lookup = rampart("trail", "lookup", "--event-name", "CreateThing", "--json");
        assertThat(lookup.exitCode()).as(lookup.err()).isZero();
        assertThat(StreamSupport.stream(lookup.json().path("events").spliterator(), false)
                .map(e -> e.path("requestParameters").path("thingName").asText())).contains("trail-lamp");
        CliRun verify = CliRun.against(data, "trail", "verify", "--json");
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.json().path("ok").asBoolean()).isTrue();
    }

    @Test
    void trailVerifyFailsNamingTheModifiedRecord() throws Exception {
        Path copy = temp.resolve("trail-copy");
        Files.createDirectories(copy);
        try (var files = Files.list(data.resolve(Node.TRAIL_DIRECTORY))) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        Path segment;
        try (var files = Files.list(copy)) {
            segment = files.filter(p -> p.getFileName().toString().startsWith("segment-")).sorted().findFirst().orElseThrow();
        }
        Files.writeString(segment, Files.readString(segment).replaceFirst("\"status\":200", "\"status\":201"));
        CliRun verify = CliRun.run("trail", "verify", "--trail-dir", copy.toString());
        assertThat(verify.exitCode()).isEqualTo(1);
        assertThat(verify.out()).contains("RECORD_MODIFIED " + segment.getFileName() + ":");
    }
}
