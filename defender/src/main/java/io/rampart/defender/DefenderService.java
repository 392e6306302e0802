package io.rampart.defender;

import io.rampart.analyzer.PolicyAudit;
import io.rampart.common.Page;
import io.rampart.common.RampartException;
import io.rampart.defender.internal.AuditRunner;
import io.rampart.defender.internal.AuditSnapshot;
import io.rampart.defender.internal.AuditStore;
import io.rampart.defender.internal.ConnectionHistory;
import io.rampart.defender.internal.Ids;
import io.rampart.messaging.ConnectionEvent;
import io.rampart.messaging.ConnectionListener;
import io.rampart.messaging.SecurityEvent;
import io.rampart.policy.PolicyEngine;
import io.rampart.registry.Registry;
import io.rampart.store.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's Device Defender audit: the account audit configuration, on-demand audit tasks, findings and
 * suppressions, over its own tables; and the connection history the connection-based checks read, fed by
 * {@link #onEvent(ConnectionEvent)} (register it with {@code MessageBus.onConnectionEvent}) and
 * {@link #onSecurityEvent(SecurityEvent)} (register it with {@code MessageBus.onSecurityEvent}).
 *
 * <p>Audit tasks run one at a time on the service's own thread; connection events are recorded in order on another,
 * so the gateway never waits for the database. An audit first waits until every event handed over before it started
 * is recorded.
 */
public final class DefenderService implements ConnectionListener, AutoCloseable {
    /** How far back an on-demand audit looks at connections (AWS: the 31 days before the audit). */
    public static final Duration ON_DEMAND_WINDOW = Duration.ofDays(31);
    /** Connection history older than this is deleted when an audit starts. */
    static final Duration HISTORY_RETENTION = Duration.ofDays(62);
    /** Connection events waiting to be recorded beyond this are dropped (and counted in the log). */
    static final int EVENT_QUEUE_LIMIT = 100_000;

    private static final Logger log = LoggerFactory.getLogger(DefenderService.class);

    private final AuditStore store;
    private final ConnectionHistory history;
    private final AuditRunner runner;
    private final Registry registry;
    private final NodeFacts facts;
    private final PolicyAudit policyAudit;
    private final PolicyEngine engine;
    private final Clock clock;
    private final ExecutorService audits;
    private final java.util.concurrent.ScheduledExecutorService scheduler;
    private final ThreadPoolExecutor events;
    private final AtomicLong droppedEvents = new AtomicLong();
    private final List<Consumer<List<AuditFinding>>> findingListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    private DefenderService(Database db, Registry registry, NodeFacts facts, Clock clock) {
        this.store = new AuditStore(db);
        this.history = new ConnectionHistory(db);
        this.runner = new AuditRunner(store, clock);
        this.registry = registry;
        this.facts = facts;
        this.policyAudit = new PolicyAudit(facts.scope(), facts.substitutionMode());
        this.engine = new PolicyEngine(facts.scope(), clock, facts.substitutionMode());
        this.clock = clock;
        this.audits = Executors.newSingleThreadExecutor(r -> daemon(r, "rampart-defender-audit"));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "rampart-defender-scheduler"));
        this.events = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(EVENT_QUEUE_LIMIT),
                r -> daemon(r, "rampart-defender-events"), (task, executor) -> {
                    if (droppedEvents.getAndIncrement() % 10_000 == 0) {
                        log.warn("defender: connection events arrive faster than they are recorded; {} dropped so far",
                                droppedEvents.get());
                    }
                });
    }

    /** The service on {@code db} (its tables are migrated first); tasks a previous run left IN_PROGRESS are FAILED. */
    public static DefenderService open(Database db, Registry registry, NodeFacts facts, Clock clock) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(facts, "facts");
        Objects.requireNonNull(clock, "clock");
        db.migrate("defender");
        DefenderService service = new DefenderService(db, registry, facts, clock);
        int interrupted = service.store.failInterruptedTasks(clock.instant());
        if (interrupted > 0) {
            log.warn("defender: {} audit tasks were interrupted by the previous stop and are marked FAILED", interrupted);
        }
        return service;
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /** What the audit knows about the node (scope, gateway settings). */
    public NodeFacts facts() {
        return facts;
    }

    // ---- configuration ----

    /** DescribeAccountAuditConfiguration: every check, enabled or not. */
    public AuditConfiguration describeConfiguration() {
        AuditConfiguration stored = store.configuration();
        Map<AuditCheckName, CheckConfiguration> all = new EnumMap<>(AuditCheckName.class);
        for (AuditCheckName check : AuditCheckName.values()) {
            all.put(check, stored.check(check));
        }
        return new AuditConfiguration(stored.roleArn(), all);
    }

    /**
     * UpdateAccountAuditConfiguration: sets the role ARN (when not null) and the given checks (others keep theirs).
     * Enabling a check Rampart cannot run, or giving a setting a check does not have, is an InvalidRequestException.
     */
    public void updateConfiguration(String roleArn, Map<AuditCheckName, CheckConfiguration> checks) {
        for (Map.Entry<AuditCheckName, CheckConfiguration> entry : checks.entrySet()) {
            AuditCheckName check = entry.getKey();
            if (entry.getValue().enabled() && !check.applicable()) {
                throw RampartException.invalidRequest(check + " cannot be enabled: " + check.whyNotApplicable());
            }
            CheckConfiguration.validate(check, entry.getValue().configuration());
        }
        store.updateConfiguration(roleArn, checks);
    }

    /**
     * DeleteAccountAuditConfiguration: every check disabled, the role ARN forgotten. Scheduled audits are deleted with
     * {@code deleteScheduledAudits}; without it, existing ones are an InvalidRequestException.
     */
    public void deleteConfiguration(boolean deleteScheduledAudits) {
        if (deleteScheduledAudits) {
            store.deleteAllSchedules();
        } else if (!store.schedules().isEmpty()) {
            throw RampartException.invalidRequest("scheduled audits exist; delete them first or pass deleteScheduledAudits=true");
        }
        store.deleteConfiguration();
    }

    // ---- scheduled audits ----

    /** CreateScheduledAudit: the checks must be enabled; the first run is the next due day at 00:00 UTC. */
    public void createScheduledAudit(ScheduledAudit audit) {
        requireRunnable(audit.targetCheckNames());
        store.createSchedule(audit, audit.nextRunAfter(clock.instant(), null));
    }

    /** UpdateScheduledAudit: replaces frequency, day and checks. */
    public void updateScheduledAudit(ScheduledAudit audit) {
        requireRunnable(audit.targetCheckNames());
        store.updateSchedule(audit, audit.nextRunAfter(clock.instant(), null));
    }

    public ScheduledAudit describeScheduledAudit(String name) {
        return store.schedules().stream().map(AuditStore.StoredSchedule::audit).filter(a -> a.name().equals(name))
                .findFirst().orElseThrow(() -> RampartException.notFound("scheduled audit " + name + " does not exist"));
    }

    public List<ScheduledAudit> listScheduledAudits() {
        return store.schedules().stream().map(AuditStore.StoredSchedule::audit).toList();
    }

    public void deleteScheduledAudit(String name) {
        store.deleteSchedule(name);
    }

    /**
     * Starts a task for every scheduled audit due by the injected clock (the node's scheduler calls this every minute;
     * tests move the clock and call it). A run looks at connections since the schedule's previous run. Returns the
     * ids of the tasks started; a schedule whose checks are no longer all enabled is skipped until they are.
     */
    public List<String> runDueScheduledAudits() {
        Instant now = clock.instant();
        List<String> started = new ArrayList<>();
        for (AuditStore.StoredSchedule schedule : store.schedules()) {
            if (schedule.nextRun().isAfter(now)) {
                continue;
            }
            ScheduledAudit audit = schedule.audit();
            if (!store.claimRun(audit.name(), schedule.nextRun(), now, audit.nextRunAfter(now, now))) {
                continue; // another node sharing the database started it
            }
            AuditTask task;
            try {
                task = newTask(audit.targetCheckNames(), AuditTaskType.SCHEDULED_AUDIT_TASK, audit.name());
            } catch (RampartException e) {
                log.warn("defender: scheduled audit {} not started: {}", audit.name(), e.getMessage());
                continue;
            }
            Instant windowStart = schedule.lastRun() != null ? schedule.lastRun() : now.minus(ON_DEMAND_WINDOW);
            List<AuditCheckName> checks = List.copyOf(task.auditDetails().keySet());
            audits.execute(() -> execute(task, checks, windowStart));
            started.add(task.taskId());
        }
        return started;
    }

    /** Starts checking for due scheduled audits every minute on the audit scheduler thread. */
    public void startScheduler() {
        scheduler.scheduleAtFixedRate(() -> {
            try {
                runDueScheduledAudits();
            } catch (RuntimeException e) {
                log.warn("defender: scheduled audits could not be started", e);
            }
        }, 1, 60, TimeUnit.SECONDS);
    }

    /** Returns once every audit task started so far has finished. */
    public void awaitAudits() {
        await(audits.submit(() -> {
        }));
    }

    private void requireRunnable(List<AuditCheckName> checks) {
        if (checks.isEmpty()) {
            throw RampartException.invalidRequest("targetCheckNames must name at least one check");
        }
        AuditConfiguration configuration = store.configuration();
        for (AuditCheckName check : checks) {
            if (!check.applicable()) {
                throw RampartException.invalidRequest(check + " cannot run: " + check.whyNotApplicable());
            }
            if (!configuration.check(check).enabled()) {
                throw RampartException.invalidRequest(check + " is not enabled for this account; enable it with"
                        + " UpdateAccountAuditConfiguration first");
            }
        }
    }

    // ---- audit tasks ----

    /**
     * StartOnDemandAuditTask: stores the task IN_PROGRESS and runs it on the audit thread; returns its id. Every check
     * must be enabled in the account's configuration (as AWS requires).
     */
    public String startOnDemandAudit(List<AuditCheckName> checks) {
        AuditTask task = newTask(checks, AuditTaskType.ON_DEMAND_AUDIT_TASK, null);
        List<AuditCheckName> ordered = List.copyOf(task.auditDetails().keySet());
        Instant windowStart = task.taskStartTime().minus(ON_DEMAND_WINDOW);
        audits.execute(() -> execute(task, ordered, windowStart));
        return task.taskId();
    }

    /** As {@link #startOnDemandAudit} but runs on the caller's thread and returns the finished task. */
    public AuditTask runOnDemandAudit(List<AuditCheckName> checks) {
        AuditTask task = newTask(checks, AuditTaskType.ON_DEMAND_AUDIT_TASK, null);
        Future<?> run = audits.submit(() -> execute(task, List.copyOf(task.auditDetails().keySet()),
                task.taskStartTime().minus(ON_DEMAND_WINDOW)));
        await(run);
        return store.task(task.taskId());
    }

    private AuditTask newTask(List<AuditCheckName> checks, AuditTaskType type, String scheduledAuditName) {
        if (checks == null || checks.isEmpty()) {
            throw RampartException.invalidRequest("targetCheckNames must name at least one check");
        }
        AuditConfiguration configuration = store.configuration();
        Map<AuditCheckName, CheckDetails> details = new EnumMap<>(AuditCheckName.class);
        for (AuditCheckName check : new LinkedHashSet<>(checks)) {
            if (!check.applicable()) {
                throw RampartException.invalidRequest(check + " cannot run: " + check.whyNotApplicable());
            }
            if (!configuration.check(check).enabled()) {
                throw RampartException.invalidRequest(check + " is not enabled for this account; enable it with"
                        + " UpdateAccountAuditConfiguration first");
            }
            details.put(check, CheckDetails.inProgress());
        }
        Instant start = clock.instant();
        AuditTask task = new AuditTask(Ids.next(start), AuditTaskStatus.IN_PROGRESS, type, start, scheduledAuditName,
                details);
        store.insertTask(task, List.copyOf(details.keySet()));
        return task;
    }

    private void execute(AuditTask task, List<AuditCheckName> checks, Instant windowStart) {
        awaitRecordedEvents();
        history.forgetBefore(task.taskStartTime().minus(HISTORY_RETENTION));
        AuditSnapshot snapshot = AuditSnapshot.of(task.taskStartTime(), windowStart, registry, history, facts, policyAudit,
                engine);
        runner.run(task, checks, snapshot, store.configuration(), findings -> findingListeners.forEach(l -> {
            try {
                l.accept(findings);
            } catch (RuntimeException e) {
                log.warn("defender: a finding listener failed", e);
            }
        }));
    }

    /** DescribeAuditTask, or ResourceNotFoundException. */
    public AuditTask describeTask(String taskId) {
        return store.task(taskId);
    }

    /** ListAuditTasks, newest first. */
    public Page<AuditTask> listTasks(TaskQuery query, Page.Request page) {
        if (query.endTime().isBefore(query.startTime())) {
            throw RampartException.invalidRequest("endTime " + query.endTime() + " is before startTime " + query.startTime());
        }
        return store.listTasks(query, page);
    }

    /** CancelAuditTask: only an IN_PROGRESS task; checks not yet run become CANCELED. */
    public void cancelTask(String taskId) {
        store.cancelTask(taskId, clock.instant());
    }

    // ---- findings ----

    /** ListAuditFindings: of one task, or within a time range (not both, as AWS requires). */
    public Page<AuditFinding> listFindings(FindingQuery query, Page.Request page) {
        if (query.taskId() != null && (query.startTime() != null || query.endTime() != null)) {
            throw RampartException.invalidRequest("give either taskId or startTime and endTime, not both");
        }
        if (query.taskId() == null && (query.startTime() == null) != (query.endTime() == null)) {
            throw RampartException.invalidRequest("startTime and endTime go together");
        }
        return store.listFindings(query, page);
    }

    /** DescribeAuditFinding, or ResourceNotFoundException. */
    public AuditFinding describeFinding(String findingId) {
        return store.finding(findingId);
    }

    /** Calls {@code listener} with the findings of every audit task that completes (not those of canceled tasks). */
    public void addFindingListener(Consumer<List<AuditFinding>> listener) {
        findingListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    // ---- suppressions ----

    /** CreateAuditSuppression: exactly one of a future expirationDate or suppressIndefinitely. */
    public void createSuppression(AuditSuppression suppression) {
        validate(suppression, true);
        store.createSuppression(suppression, clock.instant());
    }

    /** UpdateAuditSuppression: the suppression must exist (ResourceNotFoundException). */
    public void updateSuppression(AuditSuppression suppression) {
        validate(suppression, false);
        store.updateSuppression(suppression);
    }

    public AuditSuppression describeSuppression(AuditCheckName check, ResourceIdentifier resource) {
        return store.suppression(check, resource);
    }

    public void deleteSuppression(AuditCheckName check, ResourceIdentifier resource) {
        store.deleteSuppression(check, resource);
    }

    public Page<AuditSuppression> listSuppressions(AuditCheckName check, ResourceIdentifier resource, boolean ascending,
                                                   Page.Request page) {
        return store.listSuppressions(check, resource, ascending, page);
    }

    private void validate(AuditSuppression suppression, boolean creating) {
        AuditCheckName check = suppression.checkName();
        if (!check.applicable()) {
            throw RampartException.invalidRequest(check + " never runs here (" + check.whyNotApplicable()
                    + "), so it has nothing to suppress");
        }
        requireResourceOfCheck(check, suppression.resourceIdentifier());
        if (suppression.suppressIndefinitely() && suppression.expirationDate() != null) {
            throw RampartException.invalidRequest("give either expirationDate or suppressIndefinitely=true, not both");
        }
        if (!suppression.suppressIndefinitely()) {
            if (suppression.expirationDate() == null) {
                if (creating) {
                    throw RampartException.invalidRequest("give an expirationDate or suppressIndefinitely=true");
                }
                throw RampartException.invalidRequest("give the new expirationDate or suppressIndefinitely=true");
            }
            if (!suppression.expirationDate().isAfter(clock.instant())) {
                throw RampartException.invalidRequest("expirationDate " + suppression.expirationDate()
                        + " is not in the future");
            }
        }
    }

    /** The identifier must name the kind of resource the check reports. */
    static void requireResourceOfCheck(AuditCheckName check, ResourceIdentifier id) {
        boolean matches = switch (check.resourceType()) {
            case DEVICE_CERTIFICATE -> id.deviceCertificateId() != null;
            case CA_CERTIFICATE -> id.caCertificateId() != null;
            case CLIENT_ID -> id.clientId() != null;
            case IOT_POLICY -> id.policyVersionIdentifier() != null && id.policyVersionIdentifier().policyName() != null
                    && id.policyVersionIdentifier().policyVersionId() != null;
            case ACCOUNT_SETTINGS -> id.account() != null;
            case ISSUER_CERTIFICATE -> id.issuerCertificateIdentifier() != null && id.deviceCertificateArn() != null;
            case COGNITO_IDENTITY_POOL, ROLE_ALIAS, IAM_ROLE -> false;
        };
        if (!matches) {
            throw RampartException.invalidRequest(check + " reports " + check.resourceType() + " resources: give "
                    + switch (check.resourceType()) {
                        case DEVICE_CERTIFICATE -> "resourceIdentifier.deviceCertificateId";
                        case CA_CERTIFICATE -> "resourceIdentifier.caCertificateId";
                        case CLIENT_ID -> "resourceIdentifier.clientId";
                        case IOT_POLICY -> "resourceIdentifier.policyVersionIdentifier with policyName and policyVersionId";
                        case ACCOUNT_SETTINGS -> "resourceIdentifier.account";
                        case ISSUER_CERTIFICATE -> "resourceIdentifier.issuerCertificateIdentifier and deviceCertificateArn";
                        case COGNITO_IDENTITY_POOL, ROLE_ALIAS, IAM_ROLE -> "a resource Rampart has";
                    });
        }
    }

    // ---- connection history ----

    /** Records connects and disconnects for the connection-based checks (on the service's event thread). */
    @Override
    public void onEvent(ConnectionEvent event) {
        switch (event) {
            case ConnectionEvent.Connected c -> events.execute(() -> record(() -> history.connected(c.connection(),
                    c.timestamp())));
            case ConnectionEvent.Disconnected d -> events.execute(() -> record(() -> history.disconnected(d.connection(),
                    d.timestamp(), d.reason())));
            case ConnectionEvent.Subscribed s -> {
            }
            case ConnectionEvent.Unsubscribed u -> {
            }
        }
    }

    /**
     * Records the gateway's refusals of a certificate for its own or its CA's state (REVOKED, INACTIVE, CA not active);
     * other security events are not the audit's business.
     */
    public void onSecurityEvent(SecurityEvent event) {
        if (event instanceof SecurityEvent.AuthenticationFailed failed && failed.certificateId().isPresent()) {
            RefusedConnection.Reason reason = switch (failed.reason()) {
                case CERTIFICATE_REVOKED -> RefusedConnection.Reason.CERTIFICATE_REVOKED;
                case CERTIFICATE_INACTIVE -> RefusedConnection.Reason.CERTIFICATE_INACTIVE;
                case CA_NOT_ACTIVE -> RefusedConnection.Reason.CA_NOT_ACTIVE;
                default -> null;
            };
            if (reason != null) {
                recordRefusedConnection(new RefusedConnection(failed.certificateId().get(), failed.sourceIp(), reason,
                        failed.timestamp()));
            }
        }
    }

    /** Records a client the gateway refused because of its certificate's or CA's state. */
    public void recordRefusedConnection(RefusedConnection refusal) {
        Objects.requireNonNull(refusal, "refusal");
        events.execute(() -> record(() -> history.refused(refusal)));
    }

    private static void record(Runnable write) {
        try {
            write.run();
        } catch (RuntimeException e) {
            log.warn("defender: a connection event could not be recorded", e);
        }
    }

    /** Returns once every event handed over before the call is recorded. */
    void awaitRecordedEvents() {
        await(events.submit(() -> {
        }));
    }

    private static void await(Future<?> future) {
        try {
            future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RampartException(io.rampart.common.ErrorType.INTERNAL_FAILURE, "interrupted while auditing");
        } catch (ExecutionException e) {
            throw new RampartException(io.rampart.common.ErrorType.INTERNAL_FAILURE,
                    "audit failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Stops the audit and event threads; a running audit is interrupted and marked FAILED at the next start. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        events.shutdown();
        audits.shutdownNow();
        try {
            if (!events.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("defender: connection events still being recorded after 10 s; stopping without them");
                events.shutdownNow();
            }
            audits.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
