package io.rampart.server.audit;

import io.rampart.api.AuditJson;
import io.rampart.defender.AuditFinding;
import io.rampart.defender.CompletedAudit;
import io.rampart.server.AuditPublishing;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs each new (non-suppressed) finding of a completed audit, one request per finding with the finding's JSON, to a
 * webhook. Deliveries run on the webhook's own thread, so the audit never waits: a 5xx answer or a connection error is
 * retried after 1, 2, 4 s ({@link #ATTEMPTS} attempts in all), other answers are final. Failures are logged with the
 * URL's user info and query redacted (they often carry tokens) and counted.
 */
public final class FindingWebhook implements Consumer<CompletedAudit>, AutoCloseable {
    public static final int ATTEMPTS = 4;
    public static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(FindingWebhook.class);

    private final URI url;
    private final String shownUrl;
    private final AuditJson json;
    private final Duration firstRetry;
    private final HttpClient client;
    private final ScheduledExecutorService deliveries;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    /** Guards {@link #pending}, the findings accepted and neither delivered nor given up on yet. */
    private final Object idle = new Object();
    private int pending;

    public FindingWebhook(URI url, AuditJson json) {
        this(url, json, FIRST_RETRY);
    }

    /** With retries starting after {@code firstRetry} (doubling each time). */
    public FindingWebhook(URI url, AuditJson json, Duration firstRetry) {
        this.url = url;
        this.shownUrl = AuditPublishing.redact(url);
        this.json = json;
        this.firstRetry = firstRetry;
        this.client = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER)
                .build();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "rampart-defender-webhook");
            thread.setDaemon(true);
            return thread;
        });
        this.deliveries = executor;
    }

    @Override
    public void accept(CompletedAudit audit) {
        for (AuditFinding finding : audit.newFindings()) {
            byte[] body = json.finding(finding);
            synchronized (idle) {
                pending++;
            }
            if (!schedule(() -> deliver(finding.findingId(), body, 1), Duration.ZERO)) {
                fail(finding.findingId(), "not sent: the node is stopping");
            }
        }
    }

    private void deliver(String findingId, byte[] body, int attempt) {
        String problem;
        try {
            HttpRequest request = HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status >= 200 && status < 300) {
                delivered.incrementAndGet();
                settled();
                return;
            }
            if (status < 500) {
                fail(findingId, "answered " + status + " (not retried)");
                return;
            }
            problem = "answered " + status;
        } catch (IOException e) {
            problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(findingId, "interrupted by the node's stop");
            return;
        } catch (RuntimeException e) {
            // Not a network problem (a scheduled task's exception would vanish): final, so close() does not wait on it.
            fail(findingId, "not sent: " + e);
            return;
        }
        if (attempt >= ATTEMPTS) {
            fail(findingId, problem + " on all " + ATTEMPTS + " attempts");
            return;
        }
        Duration wait = firstRetry.multipliedBy(1L << (attempt - 1));
        log.info("defender: audit webhook {} {} for finding {}; retrying in {} ms", shownUrl, problem, findingId,
                wait.toMillis());
        String lastProblem = problem;
        if (!schedule(() -> deliver(findingId, body, attempt + 1), wait)) {
            fail(findingId, lastProblem + "; no retry: the node is stopping");
        }
    }

    private boolean schedule(Runnable delivery, Duration delay) {
        try {
            deliveries.schedule(delivery, delay.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private void fail(String findingId, String problem) {
        log.warn("defender: audit webhook {} did not take finding {}: {} ({} findings undelivered so far)", shownUrl,
                findingId, problem, failed.incrementAndGet());
        settled();
    }

    private void settled() {
        synchronized (idle) {
            pending--;
            idle.notifyAll();
        }
    }

    /** Where findings are POSTed. */
    public URI url() {
        return url;
    }

    /** Findings the webhook accepted (2xx). */
    public long delivered() {
        return delivered.get();
    }

    /** Findings given up on (non-5xx refusal, attempts exhausted, or the node stopping). */
    public long failed() {
        return failed.get();
    }

    /**
     * Lets deliveries and their retries finish for up to 10 s (the retries of one finding take 7 s plus the requests),
     * then stops; findings still pending are lost and logged.
     */
    @Override
    public void close() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int left;
        synchronized (idle) {
            try {
                long remaining;
                while (pending > 0 && (remaining = deadline - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.timedWait(idle, remaining);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            left = pending;
        }
        if (left > 0) {
            log.warn("defender: audit webhook {}: {} findings still undelivered at the stop are lost", shownUrl, left);
        }
        deliveries.shutdownNow();
        client.close();
    }
}
