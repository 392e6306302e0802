package io.rampart.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.rampart.common.Json;
import io.rampart.server.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.iot.model.IotException;

/** What a node leaves in its data directory, and what survives a restart. */
class NodeLifecycleTest {
    @TempDir
    Path temp;

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    @Test
    void firstStartWritesCaPemCredentialsAndEndpointJsonWithTheRightModesAndContentsAndLogsNoSecret() throws Exception {
        Path data = temp.resolve("data");
        var logged = new java.io.ByteArrayOutputStream();
        var originalErr = System.err;
        var originalOut = System.out;
        System.setErr(new java.io.PrintStream(logged, true));
        System.setOut(new java.io.PrintStream(logged, true));
        Node started;
        try {
            started = TestNodes.start(data);
        } finally {
            System.setErr(originalErr);
            System.setOut(originalOut);
        }
        try (Node node = started) {
            String credentials = Files.readString(data.resolve("credentials"));
            String secretAccessKey = credentials.substring(credentials.indexOf("aws_secret_access_key = ") + 24).strip();
            String keySecret = Files.readString(data.resolve("keys/secret")).strip();
            assertThat(logged.toString()).contains("API listening").doesNotContain(secretAccessKey).doesNotContain(keySecret);

            assertThat(mode(data)).isEqualTo("rwx------");
            assertThat(mode(data.resolve("keys"))).isEqualTo("rwx------");
            assertThat(mode(data.resolve("keys/secret"))).isEqualTo("rw-------");

            X509Certificate ca;
            try (var in = Files.newInputStream(data.resolve("ca.pem"))) {
                ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
            assertThat(mode(data.resolve("ca.pem"))).isEqualTo("rw-r--r--");

            assertThat(mode(data.resolve("credentials"))).isEqualTo("rw-------");
            assertThat(Files.readString(data.resolve("credentials")))
                    .startsWith("[rampart]\n")
                    .containsPattern("aws_access_key_id = AKIA[A-Z2-7]{16}\n")
                    .containsPattern("aws_secret_access_key = \\S{40}\n");

            JsonNode endpoint = Json.newMapper().readTree(data.resolve("endpoint.json").toFile());
            assertThat(endpoint.get("host").asText()).isEqualTo("localhost");
            assertThat(endpoint.get("apiPort").asInt()).isEqualTo(node.apiPort()).isPositive();
            assertThat(endpoint.get("mqttPort").asInt()).isEqualTo(node.mqttPort()).isPositive();
            assertThat(endpoint.get("region").asText()).isEqualTo("us-east-1");
            assertThat(endpoint.get("accountId").asText()).isEqualTo("000000000000");

            try (NodeConnection connection = CliRun.connect(data)) {
                assertThat(connection.iot().describeEndpoint(r -> r.endpointType("iot:Data-ATS")).endpointAddress())
                        .isEqualTo("localhost");
            }
        }
    }

    @Test
    void aRestartOnTheSameDirectoryKeepsTheCaServerCertificateAdminKeyAndRegistryButNotWithAnotherSecret() throws Exception {
        Path data = temp.resolve("data");
        String thingArn;
        String caBefore;
        String serverBefore;
        String credentialsBefore;
        try (Node first = TestNodes.start(data); NodeConnection connection = CliRun.connect(data)) {
            thingArn = connection.iot().createThing(r -> r.thingName("survivor")).thingArn();
            connection.iot().createPolicy(r -> r.policyName("kept").policyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iot:Connect\",\"Resource\":\"*\"}]}"));
            caBefore = Files.readString(data.resolve("ca.pem"));
            serverBefore = Files.readString(data.resolve("keys/server.pem"));
            credentialsBefore = Files.readString(data.resolve("credentials"));
        }

        try (Node second = TestNodes.start(data); NodeConnection connection = CliRun.connect(data)) {
            assertThat(Files.readString(data.resolve("ca.pem"))).isEqualTo(caBefore);
            assertThat(Files.readString(data.resolve("keys/server.pem"))).isEqualTo(serverBefore);
            assertThat(Files.readString(data.resolve("credentials"))).isEqualTo(credentialsBefore);
            // The same admin key still signs, and everything created before is still there.
            assertThat(connection.iot().describeThing(r -> r.thingName("survivor")).thingArn()).isEqualTo(thingArn);
            assertThat(connection.iot().getPolicy(r -> r.policyName("kept")).defaultVersionId()).isEqualTo("1");
        }

        // The CA key cannot be opened with another secret: the start fails and leaves the files as they were.
        assertThatThrownBy(() -> Node.start(TestNodes.config(data), Map.of("RAMPART_KEY_SECRET", "a-different-secret-entirely"),
                Clock.systemUTC(), new SecureRandom()))
                .hasMessageContaining("secret");
        assertThat(Files.readString(data.resolve("ca.pem"))).isEqualTo(caBefore);
        assertThat(Files.readString(data.resolve("credentials"))).isEqualTo(credentialsBefore);
    }

    @Test
    void twoNodesRunInOneJvmEachWithItsOwnCaAndKeys() throws Exception {
        Path a = temp.resolve("a");
        Path b = temp.resolve("b");
        try (Node nodeA = TestNodes.start(a); Node nodeB = TestNodes.start(b);
             NodeConnection toA = CliRun.connect(a); NodeConnection toB = CliRun.connect(b)) {
            toA.iot().createThing(r -> r.thingName("only-on-a"));

            assertThat(nodeA.apiPort()).isNotEqualTo(nodeB.apiPort());
            assertThat(Files.readString(a.resolve("ca.pem"))).isNotEqualTo(Files.readString(b.resolve("ca.pem")));
            assertThat(toB.iot().listThings().things()).isEmpty();
            assertThat(toA.iot().listThings().things()).hasSize(1);

            // A's key means nothing to B.
            Path crossed = temp.resolve("crossed");
            Files.createDirectories(crossed);
            Files.copy(b.resolve("endpoint.json"), crossed.resolve("endpoint.json"));
            Files.copy(b.resolve("ca.pem"), crossed.resolve("ca.pem"));
            Files.copy(a.resolve("credentials"), crossed.resolve("credentials"));
            try (NodeConnection aKeyOnB = CliRun.connect(crossed)) {
                assertThatThrownBy(() -> aKeyOnB.iot().listThings())
                        .isInstanceOfSatisfying(IotException.class, e ->
                                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException"));
            }
        }
    }

    @Test
    void withDbTheRegistryLivesInPostgresqlNotInTheDataDirectory() throws Exception {
        String schema = "server_test_" + UUID.randomUUID().toString().replace("-", "");
        String admin = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
        try (Connection connection = DriverManager.getConnection(admin); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        String url = admin + "&currentSchema=" + schema;
        try {
            Path data = temp.resolve("data");
            try (Node node = Node.start(TestNodes.config(data, url), Map.of(), Clock.systemUTC(), new SecureRandom());
                 NodeConnection connection = CliRun.connect(data)) {
                connection.iot().createThing(r -> r.thingName("in-postgres"));
            }
            assertThat(data.resolve("rampart.db")).doesNotExist();
            try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
                 var rows = statement.executeQuery("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '" + schema + "'")) {
                rows.next();
                assertThat(rows.getInt(1)).isPositive();
            }
        } finally {
            try (Connection connection = DriverManager.getConnection(admin); Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }
}
