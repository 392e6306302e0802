package io.rampart.server.gateway;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rampart.messaging.SecurityEvent;
import io.rampart.messaging.SecurityListener;
import io.rampart.trail.Trail;
import io.rampart.trail.TrailEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the gateway's security events to the activity trail under their own event source,
 * {@value TrailEvent#GATEWAY_SOURCE}, aggregated so that a flood cannot fill the disk (see
 * {@link SecurityTrailPolicy}):
 * <ul>
 *   <li>the first event of a key is recorded at once with {@code count} 1; further events of that key within the
 *       window are counted, and when the window ends one record carries their {@code count}, {@code firstTime} and
 *       {@code lastTime} (and the latest event's details); a key quiet for a whole window is forgotten;</li>
 *   <li>at most {@code maxRecordsPerWindow} records per window in all; what the budget refuses (and what the broker
 *       dropped because this listener fell behind) is counted per event name and reported by one
 *       {@value #EVENTS_DROPPED} record per window.</li>
 * </ul>
 * Memory is bounded the same way: a key is only tracked after a record was spent on it.
 *
 * <p>Threading: {@link #onEvent} runs on the broker's listener executor, {@link #tick} on this class's timer; the
 * aggregation state is guarded by {@code this}, and trail writes (which fsync) happen outside the lock.
 */
public final class SecurityTrail implements SecurityListener, AutoCloseable {
    public static final String AUTHENTICATION_FAILURE = "AuthenticationFailure";
    public static final String AUTHORIZATION_FAILURE = "AuthorizationFailure";
    public static final String SESSION_TAKEOVER = "SessionTakeover";
    public static final String EVENTS_DROPPED = "SecurityEventsDropped";
    /** The {@code dropped} entry for events the broker discarded because this listener fell behind. */
    static final String LISTENER_BACKLOG = "ListenerBacklog";

    private static final Logger log = LoggerFactory.getLogger(SecurityTrail.class);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Trail trail;
    private final Clock clock;
    private final Duration window;
    private final int maxRecordsPerWindow;
    private final ScheduledExecutorService timer;

    // Guarded by this.
    private final Map<Key, Window> open = new HashMap<>();
    private final Map<String, Long> dropped = new TreeMap<>();
    private Instant droppedSince;
    private Instant budgetStart;
    private int budgetUsed;
    private boolean closed;

    private SecurityTrail(Trail trail, Clock clock, SecurityTrailPolicy policy) {
        this.trail = Objects.requireNonNull(trail, "trail");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.window = policy.window();
        this.maxRecordsPerWindow = policy.maxRecordsPerWindow();
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("security-trail").factory());
    }

    /** A security trail whose timer closes ended windows (checked every second, or twice per window if shorter). */
    public static SecurityTrail start(Trail trail, Clock clock, SecurityTrailPolicy policy) {
        SecurityTrail securityTrail = new SecurityTrail(trail, clock, Objects.requireNonNull(policy, "policy"));
        long period = Math.min(1_000, policy.window().toMillis() / 2);
        securityTrail.timer.scheduleWithFixedDelay(securityTrail::tick, period, period, TimeUnit.MILLISECONDS);
        return securityTrail;
    }

    @Override
    public void onEvent(SecurityEvent event) {
        TrailEvent record;
        synchronized (this) {
            if (closed) {
                return;
            }
            Instant now = clock.instant();
            if (event instanceof SecurityEvent.EventsDropped lost) {
                drop(LISTENER_BACKLOG, lost.count(), now);
                return;
            }
            Key key = key(event);
            Window current = open.get(key);
            if (current != null) {
                current.add(event);
                return;
            }
            if (!spend(now)) {
                drop(key.eventName(), 1, now);
                return;
            }
            open.put(key, new Window(event, now.plus(window)));
            record = trailEvent(event, event.timestamp(), 1, event.timestamp(), event.timestamp());
        }
        write(List.of(record));
    }

    /** Records the windows that ended and, once per window, what was dropped. */
    void tick() {
        List<TrailEvent> records = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            Instant now = clock.instant();
            for (Iterator<Map.Entry<Key, Window>> it = open.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Key, Window> entry = it.next();
                Window w = entry.getValue();
                if (now.isBefore(w.end)) {
                    continue;
                }
                if (w.count == 0) {
                    it.remove();
                } else if (spend(now)) {
                    records.add(w.summary(now));
                    w.restart(now.plus(window));
                } else {
                    drop(entry.getKey().eventName(), w.count, now);
                    it.remove();
                }
            }
            if (droppedSince != null && !now.isBefore(droppedSince.plus(window))) {
                records.add(droppedRecord(now));
            }
        }
        write(records);
    }

    /** Records every open window's count and what was dropped, then stops the timer (the node is stopping). */
    @Override
    public void close() {
        List<TrailEvent> records = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            Instant now = clock.instant();
            for (Window w : open.values()) {
                if (w.count > 0) {
                    records.add(w.summary(now));
                }
            }
            open.clear();
            if (droppedSince != null) {
                records.add(droppedRecord(now));
            }
        }
        timer.shutdownNow();
        write(records);
    }

    private boolean spend(Instant now) {
        if (budgetStart == null || !now.isBefore(budgetStart.plus(window))) {
            budgetStart = now;
            budgetUsed = 0;
        }
        if (budgetUsed >= maxRecordsPerWindow) {
            return false;
        }
        budgetUsed++;
        return true;
    }

    private void drop(String eventName, long count, Instant now) {
        dropped.merge(eventName, count, Long::sum);
        if (droppedSince == null) {
            droppedSince = now;
        }
    }

    private TrailEvent droppedRecord(Instant now) {
        ObjectNode params = JSON.objectNode();
        ObjectNode counts = params.putObject("dropped");
        dropped.forEach(counts::put);
        params.put("since", droppedSince.toString());
        params.put("until", now.toString());
        params.put("maxRecordsPerWindow", maxRecordsPerWindow);
        params.put("windowSeconds", window.toSeconds());
        dropped.clear();
        droppedSince = null;
        return new TrailEvent(now, TrailEvent.GATEWAY_SOURCE, EVENTS_DROPPED, null, null, null, params, List.of(), 429,
                "ThrottlingException", null);
    }

    private void write(List<TrailEvent> records) {
        for (TrailEvent record : records) {
            try {
                trail.record(record);
            } catch (RuntimeException e) {
                // The gateway's decision already stands (the client was refused); losing its record is an operator problem.
                log.error("a gateway {} event could not be recorded in the trail", record.eventName(), e);
            }
        }
    }

    /** What aggregates: denials per certificate, action and resource; refusals per source, certificate and reason. */
    private record Key(String eventName, String principal, String first, String second) {
    }

    private static Key key(SecurityEvent event) {
        return switch (event) {
            case SecurityEvent.AuthenticationFailed a -> new Key(AUTHENTICATION_FAILURE, a.certificateId().orElse(""),
                    a.sourceIp(), a.reason().name());
            case SecurityEvent.AuthorizationDenied d -> new Key(AUTHORIZATION_FAILURE, d.principalId(), d.action(), d.resource());
            case SecurityEvent.SessionTakenOver t -> new Key(SESSION_TAKEOVER, "", t.clientId(), "");
            case SecurityEvent.EventsDropped dropped -> throw new IllegalArgumentException("not aggregated: " + dropped);
        };
    }

    /**
     * The CloudTrail-shaped record: principal = certificate id, sourceIp, errorCode = why, resources = what was
     * touched; details plus {@code count}, {@code firstTime} and {@code lastTime} in requestParameters.
     */
    private static TrailEvent trailEvent(SecurityEvent event, Instant eventTime, long count, Instant first, Instant last) {
        ObjectNode params = JSON.objectNode();
        params.put("count", count);
        params.put("firstTime", first.toString());
        params.put("lastTime", last.toString());
        return switch (event) {
            case SecurityEvent.AuthenticationFailed a -> {
                params.put("reason", a.reason().name());
                a.certificateId().ifPresent(id -> params.put("certificateId", id));
                a.issuer().ifPresent(issuer -> params.put("issuer", issuer));
                a.serverName().ifPresent(sni -> params.put("serverName", sni));
                a.alpnProtocol().ifPresent(alpn -> params.put("alpnProtocol", alpn));
                params.put("detail", a.detail());
                yield new TrailEvent(eventTime, TrailEvent.GATEWAY_SOURCE, AUTHENTICATION_FAILURE,
                        a.certificateId().orElse(null), a.sourceIp(), null, params,
                        a.certificateId().map(List::of).orElse(List.of()), 401, a.reason().name(), null);
            }
            case SecurityEvent.AuthorizationDenied d -> {
                params.put("action", d.action());
                params.put("resource", d.resource());
                params.put("clientId", d.clientId());
                yield new TrailEvent(eventTime, TrailEvent.GATEWAY_SOURCE, AUTHORIZATION_FAILURE, d.principalId(),
                        d.sourceIp(), null, params, List.of(d.resource()), 403, "AccessDenied", null);
            }
            case SecurityEvent.SessionTakenOver t -> {
                params.put("clientId", t.clientId());
                params.put("sessionId", t.next().sessionId());
                params.put("previousSessionId", t.previous().sessionId());
                params.put("previousPrincipal", t.previous().principalId());
                params.put("previousSourceIp", t.previous().sourceIp());
                yield new TrailEvent(eventTime, TrailEvent.GATEWAY_SOURCE, SESSION_TAKEOVER, t.next().principalId(),
                        t.next().sourceIp(), null, params, List.of(t.clientId()), 200, null, null);
            }
            case SecurityEvent.EventsDropped dropped -> throw new IllegalArgumentException("not a trail event: " + dropped);
        };
    }

    /** The events of one key after its first was recorded: how many, when, and the latest one's details. */
    private static final class Window {
        private Instant end;
        private long count;
        private Instant first;
        private Instant last;
        private SecurityEvent latest;

        Window(SecurityEvent recorded, Instant end) {
            this.latest = recorded;
            this.end = end;
        }

        void add(SecurityEvent event) {
            if (count == 0) {
                first = event.timestamp();
            }
            count++;
            last = event.timestamp();
            latest = event;
        }

        TrailEvent summary(Instant now) {
            return trailEvent(latest, now, count, first, last);
        }

        void restart(Instant newEnd) {
            count = 0;
            first = null;
            last = null;
            end = newEnd;
        }
    }
}
