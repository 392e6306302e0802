package io.rampart.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.rampart.api.AuditJson;
import io.rampart.defender.AuditCheckName;
import io.rampart.defender.AuditFinding;
import io.rampart.defender.AuditResource;
import io.rampart.defender.AuditTask;
import io.rampart.defender.AuditTaskStatus;
import io.rampart.defender.AuditTaskType;
import io.rampart.defender.CompletedAudit;
import io.rampart.defender.ResourceIdentifier;
import io.rampart.defender.ResourceType;
import io.rampart.defender.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The webhook's retry rules against a real local HTTP server (short backoff so the rules, not the waits, are tested). */
class FindingWebhookTest {
    private static final Instant START = Instant.parse("2026-11-25T12:00:00Z");
    private static final CompletedAudit AUDIT = new CompletedAudit(new AuditTask("task-1", AuditTaskStatus.COMPLETED,
            AuditTaskType.ON_DEMAND_AUDIT_TASK, START, null, Map.of()), List.of(
            finding("f-1", "wide-open", false), finding("f-2", "known-wide-open", true)));

    private final AtomicInteger attempts = new AtomicInteger();
    private HttpServer server;

    private static AuditFinding finding(String id, String policy, boolean suppressed) {
        return new AuditFinding(id, "task-1", AuditCheckName.IOT_POLICY_OVERLY_PERMISSIVE_CHECK, START, START,
                Severity.CRITICAL, new AuditResource(ResourceType.IOT_POLICY, ResourceIdentifier.policyVersion(policy, "1"),
                Map.of()), List.of(), "too broad", "ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS", suppressed);
    }

    private URI answering(int status) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                body.readAllBytes();
                attempts.incrementAndGet();
                exchange.sendResponseHeaders(status, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook?token=secret");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private FindingWebhook deliver(URI url) {
        FindingWebhook webhook = new FindingWebhook(url, new AuditJson(), Duration.ofMillis(10));
        webhook.accept(AUDIT);
        webhook.close(); // waits for the deliveries and their retries
        return webhook;
    }

    @Test
    void aServerErrorIsRetriedUpToTheBoundThenCountedAsFailed() throws IOException {
        FindingWebhook webhook = deliver(answering(503));

        assertThat(attempts.get()).isEqualTo(FindingWebhook.ATTEMPTS);
        assertThat(webhook.failed()).isEqualTo(1);
        assertThat(webhook.delivered()).isZero();
    }

    @Test
    void aClientErrorIsFinalAtOnce() throws IOException {
        FindingWebhook webhook = deliver(answering(400));

        assertThat(attempts.get()).isEqualTo(1);
        assertThat(webhook.failed()).isEqualTo(1);
    }

    @Test
    void onlyTheUnsuppressedFindingIsPosted() throws IOException {
        FindingWebhook webhook = deliver(answering(204));

        assertThat(attempts.get()).isEqualTo(1);
        assertThat(webhook.delivered()).isEqualTo(1);
        assertThat(webhook.failed()).isZero();
    }

    @Test
    void aRefusedConnectionIsRetriedThenCountedAsFailed() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        FindingWebhook webhook = deliver(URI.create("http://127.0.0.1:" + closedPort + "/hook"));

        assertThat(webhook.failed()).isEqualTo(1);
        assertThat(webhook.delivered()).isZero();
    }
}
