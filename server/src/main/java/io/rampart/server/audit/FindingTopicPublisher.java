package io.rampart.server.audit;

import io.rampart.api.AuditJson;
import io.rampart.defender.CompletedAudit;
import io.rampart.messaging.Message;
import io.rampart.messaging.MessageBus;
import io.rampart.messaging.Origin;
import io.rampart.messaging.QoS;
import io.rampart.messaging.Topic;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each new (non-suppressed) finding of a completed audit at QoS 1 to the findings topic, then the task's
 * summary to {@code <topic>/summary}. Publishing only hands the messages to the bus: the audit never waits for devices.
 */
public final class FindingTopicPublisher implements Consumer<CompletedAudit> {
    private static final Logger log = LoggerFactory.getLogger(FindingTopicPublisher.class);
    private static final Origin.Service ORIGIN = new Origin.Service("defender");

    private final MessageBus bus;
    private final Topic findings;
    private final Topic summary;
    private final AuditJson json;
    private final AtomicLong failures = new AtomicLong();

    public FindingTopicPublisher(MessageBus bus, Topic findings, AuditJson json) {
        this.bus = bus;
        this.findings = findings;
        this.summary = new Topic(findings.value() + "/summary");
        this.json = json;
    }

    @Override
    public void accept(CompletedAudit audit) {
        CompletableFuture<?>[] routed = audit.newFindings().stream()
                .map(finding -> publish(findings, json.finding(finding), audit))
                .toArray(CompletableFuture[]::new);
        // The summary promises that the task's findings went before it: send it once they are routed (or refused).
        CompletableFuture.allOf(routed).whenComplete((all, failure) -> publish(summary, json.summary(audit), audit));
    }

    private CompletableFuture<Void> publish(Topic topic, byte[] payload, CompletedAudit audit) {
        return bus.publish(ORIGIN, Message.of(topic, payload, QoS.AT_LEAST_ONCE, false)).toCompletableFuture()
                .whenComplete((done, failure) -> {
                    if (failure != null) {
                        log.warn("defender: audit task {}: a message to {} was not published ({} failures so far): {}",
                                audit.task().taskId(), topic.value(), failures.incrementAndGet(), failure.getMessage());
                    }
                });
    }

    /** Messages the bus refused since the start. */
    public long failures() {
        return failures.get();
    }
}
