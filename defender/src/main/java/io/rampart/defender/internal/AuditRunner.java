package io.rampart.defender.internal;

import io.rampart.common.RampartException;
import io.rampart.defender.AuditCheckName;
import io.rampart.defender.AuditConfiguration;
import io.rampart.defender.AuditFinding;
import io.rampart.defender.AuditSuppression;
import io.rampart.defender.AuditTask;
import io.rampart.defender.AuditTaskStatus;
import io.rampart.defender.CheckDetails;
import io.rampart.defender.CheckRunStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the checks of one audit task in order against one snapshot, storing each check's findings (with their
 * suppression state) and details as it finishes, so DescribeAuditTask shows progress and a cancellation stops the
 * task between two checks.
 */
public final class AuditRunner {
    private static final Logger log = LoggerFactory.getLogger(AuditRunner.class);

    private final AuditStore store;
    private final Clock clock;

    public AuditRunner(AuditStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Runs {@code checks} for the task already stored as IN_PROGRESS; returns the findings made (also when canceled:
     * those stored before the cancellation) and hands them to {@code published} once the task completed.
     */
    public List<AuditFinding> run(AuditTask task, List<AuditCheckName> checks, AuditSnapshot snapshot,
                                  AuditConfiguration configuration, Consumer<List<AuditFinding>> published) {
        Map<AuditCheckName, CheckDetails> details = new EnumMap<>(task.auditDetails());
        Map<String, AuditSuppression> suppressions = store.suppressionsInForce(task.taskStartTime());
        List<AuditFinding> all = new ArrayList<>();
        try {
            for (AuditCheckName name : checks) {
                Instant findingTime = clock.instant();
                List<AuditFinding> findings = new ArrayList<>();
                CheckDetails result;
                try {
                    Check.Outcome outcome = Check.of(name).run(snapshot, configuration.check(name));
                    long suppressed = 0;
                    for (Check.Found found : outcome.found()) {
                        boolean isSuppressed = suppressions.containsKey(
                                AuditStore.suppressionKey(name, found.resource().resourceIdentifier()));
                        suppressed += isSuppressed ? 1 : 0;
                        findings.add(new AuditFinding(Ids.next(findingTime), task.taskId(), name, task.taskStartTime(),
                                findingTime, name.severity(), found.resource(), found.related(), found.reason(),
                                found.reasonCode(), isSuppressed));
                    }
                    result = new CheckDetails(findings.isEmpty() ? CheckRunStatus.COMPLETED_COMPLIANT
                            : CheckRunStatus.COMPLETED_NON_COMPLIANT, outcome.totalResources(), findings.size(), suppressed,
                            null, outcome.message());
                } catch (Check.CannotRun e) {
                    result = new CheckDetails(CheckRunStatus.FAILED, 0, 0, 0, e.errorCode(), e.getMessage());
                } catch (RuntimeException e) {
                    log.warn("audit task {}: check {} failed", task.taskId(), name, e);
                    result = new CheckDetails(CheckRunStatus.FAILED, 0, 0, 0, "INTERNAL_FAILURE", String.valueOf(e.getMessage()));
                }
                details.put(name, result);
                if (!store.recordCheck(task.taskId(), details, findings)) {
                    return all; // canceled meanwhile: CancelAuditTask marked the remaining checks CANCELED
                }
                all.addAll(findings);
            }
            if (store.finishTask(task.taskId(), AuditTaskStatus.COMPLETED, details, clock.instant())) {
                published.accept(all);
            }
            return all;
        } catch (RuntimeException e) {
            log.warn("audit task {} failed", task.taskId(), e);
            details.replaceAll((check, d) -> d.checkRunStatus() == CheckRunStatus.IN_PROGRESS
                    ? new CheckDetails(CheckRunStatus.FAILED, 0, 0, 0, "INTERNAL_FAILURE", String.valueOf(e.getMessage())) : d);
            try {
                store.finishTask(task.taskId(), AuditTaskStatus.FAILED, details, clock.instant());
            } catch (RampartException stored) {
                e.addSuppressed(stored);
                log.error("audit task {} could not be marked FAILED", task.taskId(), stored);
            }
            return all;
        }
    }
}
