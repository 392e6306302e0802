package io.rampart.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.rampart.pki.Pem;
import io.rampart.pki.TlsContexts;
import io.rampart.server.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.AuditCheckConfiguration;
import software.amazon.awssdk.services.iot.model.AuditFinding;
import software.amazon.awssdk.services.iot.model.AuditTaskStatus;
import software.amazon.awssdk.services.iot.model.CertificateStatus;
import software.amazon.awssdk.services.iot.model.CreateKeysAndCertificateResponse;
import software.amazon.awssdk.services.iot.model.DescribeAuditTaskResponse;

/**
 * Device Defender against a running node: a fleet built through the AWS SDK, devices connected over mutual TLS with
 * a third-party MQTT client, and an on-demand audit whose findings are exactly the fleet's problems.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DefenderEndToEndTest {
    static final String WIDE_OPEN = """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:*", "Resource": "*"}]}""";
    /** Meant to confine each device to devices/<client id>/...; the subscribe grant lacks the '/' after the id. */
    static final String ESCAPING = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:us-east-1:000000000000:client/${iot:ClientId}"},
              {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"], "Resource": "arn:aws:iot:us-east-1:000000000000:topic/devices/${iot:ClientId}/*"},
              {"Effect": "Allow", "Action": "iot:Subscribe", "Resource": "arn:aws:iot:us-east-1:000000000000:topicfilter/devices/${iot:ClientId}*"}
            ]}""";
    static final String SAFE = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:us-east-1:000000000000:client/${iot:ClientId}"},
              {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"], "Resource": "arn:aws:iot:us-east-1:000000000000:topic/devices/${iot:ClientId}/*"},
              {"Effect": "Allow", "Action": "iot:Subscribe", "Resource": "arn:aws:iot:us-east-1:000000000000:topicfilter/devices/${iot:ClientId}/*"}
            ]}""";
    static final List<String> CHECKS = List.of("DEVICE_CERTIFICATE_SHARED_CHECK", "CONFLICTING_CLIENT_IDS_CHECK",
            "IOT_POLICY_OVERLY_PERMISSIVE_CHECK", "IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK",
            "DEVICE_CERTIFICATE_EXPIRING_CHECK", "CA_CERTIFICATE_EXPIRING_CHECK", "DEVICE_CERTIFICATE_KEY_QUALITY_CHECK",
            "CA_CERTIFICATE_KEY_QUALITY_CHECK", "REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK",
            "INTERMEDIATE_CA_REVOKED_FOR_ACTIVE_DEVICE_CERTIFICATES_CHECK", "RAMPART_PLAIN_LISTENER_ENABLED_CHECK");

    @TempDir
    static Path temp;

    private Path data;
    private Node node;
    private NodeConnection connection;
    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();

    @BeforeAll
    void startNode() {
        data = temp.resolve("data");
        node = TestNodes.start(data);
        connection = CliRun.connect(data);
        Map<String, AuditCheckConfiguration> enabled = new java.util.LinkedHashMap<>();
        CHECKS.forEach(check -> enabled.put(check, AuditCheckConfiguration.builder().enabled(true).build()));
        iot().updateAccountAuditConfiguration(r -> r.roleArn("arn:aws:iam::000000000000:role/audit")
                .auditCheckConfigurations(enabled));
    }

    @AfterEach
    void disconnect() {
        clients.forEach(c -> {
            if (c.getState().isConnected()) {
                c.disconnect();
            }
        });
        clients.clear();
    }

    @AfterAll
    void stopNode() {
        connection.close();
        node.close();
    }

    private IotClient iot() {
        return connection.iot();
    }

    /** A certificate made by the node's CA, ACTIVE, with {@code policy} attached. */
    private CreateKeysAndCertificateResponse device(String policy) {
        CreateKeysAndCertificateResponse created = iot().createKeysAndCertificate(r -> r.setAsActive(true));
        iot().attachPolicy(r -> r.policyName(policy).target(created.certificateArn()));
        return created;
    }

    private Mqtt5BlockingClient connect(String clientId, CreateKeysAndCertificateResponse credentials) throws Exception {
        Mqtt5BlockingClient client = Mqtt5Client.builder().identifier(clientId).serverHost("localhost")
                .serverPort(node.mqttPort()).sslConfig(tls(credentials)).buildBlocking();
        clients.add(client);
        client.connect();
        return client;
    }

    private MqttClientSslConfig tls(CreateKeysAndCertificateResponse credentials) throws Exception {
        X509Certificate certificate = Pem.parseCertificate(credentials.certificatePem());
        PrivateKey key = Pem.parsePrivateKey(credentials.keyPair().privateKey());
        X509Certificate ca = Pem.parseCertificate(Files.readString(data.resolve("ca.pem")));
        char[] password = "test".toCharArray();
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(TlsContexts.keyStore(List.of(certificate), key, password), password);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(TlsContexts.trustStore(List.of(ca)));
        return MqttClientSslConfig.builder().keyManagerFactory(kmf).trustManagerFactory(tmf).build();
    }

    private List<AuditFinding> audit() throws InterruptedException {
        String taskId = iot().startOnDemandAuditTask(r -> r.targetCheckNames(CHECKS)).taskId();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        DescribeAuditTaskResponse task = iot().describeAuditTask(r -> r.taskId(taskId));
        while (task.taskStatus() == AuditTaskStatus.IN_PROGRESS && System.nanoTime() < deadline) {
            Thread.sleep(20);
            task = iot().describeAuditTask(r -> r.taskId(taskId));
        }
        assertThat(task.taskStatus()).isEqualTo(AuditTaskStatus.COMPLETED);
        assertThat(task.taskStatistics().failedChecks()).as(task.auditDetails().toString()).isZero();
        return iot().listAuditFindingsPaginator(r -> r.taskId(taskId)).findings().stream().toList();
    }

    @Test
    void aFleetWithASharedCertificateAConflictingClientIdAndBroadPoliciesGivesExactlyThoseFindings() throws Exception {
        iot().createPolicy(r -> r.policyName("wide-open").policyDocument(WIDE_OPEN));
        iot().createPolicy(r -> r.policyName("escaping").policyDocument(ESCAPING));
        iot().createPolicy(r -> r.policyName("safe").policyDocument(SAFE));

        // A device whose certificate was revoked keeps trying to connect (first, so the gateway's refusals have long
        // reached the audit's history when it runs).
        CreateKeysAndCertificateResponse revoked = device("safe");
        iot().updateCertificate(r -> r.certificateId(revoked.certificateId()).newStatus(CertificateStatus.REVOKED));
        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(() -> connect("stolen", revoked)).isInstanceOf(RuntimeException.class);
        }

        // Two devices sharing one certificate, connected at the same time under their own client ids.
        CreateKeysAndCertificateResponse shared = device("safe");
        connect("sensor-a", shared);
        connect("sensor-b", shared);
        // One device's client id used by a second connection, which takes the session over.
        CreateKeysAndCertificateResponse pump = device("safe");
        Mqtt5BlockingClient firstPump = connect("pump", pump);
        Thread.sleep(1_100); // AWS's (and the gateway's) limit: one CONNECT per second per client id
        connect("pump", pump);
        awaitDisconnected(firstPump);
        // A well-behaved device.
        connect("meter", device("safe"));

        List<AuditFinding> findings = audit();
        assertThat(findings).extracting(AuditFinding::checkName, f -> key(f), AuditFinding::reasonForNonComplianceCode)
                .containsExactlyInAnyOrder(
                        tuple("DEVICE_CERTIFICATE_SHARED_CHECK", "deviceCertificateId=" + shared.certificateId(),
                                "CERTIFICATE_SHARED_BY_CONCURRENT_CONNECTIONS"),
                        tuple("CONFLICTING_CLIENT_IDS_CHECK", "clientId=pump", "DUPLICATE_CLIENT_ID_ACROSS_CONNECTIONS"),
                        tuple("REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK", "deviceCertificateId=" + revoked.certificateId(),
                                "REVOKED_CERTIFICATE_STILL_CONNECTING"),
                        tuple("IOT_POLICY_OVERLY_PERMISSIVE_CHECK", "policy=wide-open/1",
                                "ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS"),
                        tuple("IOT_POLICY_OVERLY_PERMISSIVE_CHECK", "policy=escaping/1",
                                "ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS"));
        AuditFinding sharing = findings.stream().filter(f -> f.checkName().equals("DEVICE_CERTIFICATE_SHARED_CHECK"))
                .findFirst().orElseThrow();
        AuditFinding stillTrying = findings.stream()
                .filter(f -> f.checkName().equals("REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK")).findFirst().orElseThrow();
        assertThat(stillTrying.nonCompliantResource().additionalInfo()).containsEntry("connectionAttempts", "2");
        assertThat(sharing.relatedResources()).extracting(r -> r.resourceIdentifier().clientId())
                .containsExactlyInAnyOrder("sensor-a", "sensor-b");
    }

    private static String key(AuditFinding finding) {
        var id = finding.nonCompliantResource().resourceIdentifier();
        if (id.deviceCertificateId() != null) {
            return "deviceCertificateId=" + id.deviceCertificateId();
        }
        if (id.clientId() != null) {
            return "clientId=" + id.clientId();
        }
        if (id.policyVersionIdentifier() != null) {
            return "policy=" + id.policyVersionIdentifier().policyName() + "/" + id.policyVersionIdentifier().policyVersionId();
        }
        return id.toString();
    }

    /** Waits up to 5 s for the broker to close {@code client}. */
    static void awaitDisconnected(Mqtt5BlockingClient client) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (client.getState().isConnected() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(client.getState().isConnected()).as("still connected after 5 s").isFalse();
    }
}
