package io.rampart.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.rampart.common.Page;
import io.rampart.messaging.AuthenticationFailureReason;
import io.rampart.messaging.ClientConnection;
import io.rampart.messaging.SecurityEvent;
import io.rampart.trail.FileTrail;
import io.rampart.trail.TrailConfig;
import io.rampart.trail.TrailEvent;
import io.rampart.trail.TrailQuery;
import io.rampart.trail.TrailRecord;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The aggregation rules of gateway security events in the trail, on a real FileTrail with a hand-moved clock. */
class SecurityTrailTest {
    private static final Duration WINDOW = Duration.ofSeconds(60);
    private static final String CERT = "ab".repeat(32);
    private static final String FORBIDDEN = "arn:aws:iot:us-east-1:000000000000:topic/forbidden";

    @TempDir
    Path temp;

    private final HandClock clock = new HandClock(Instant.parse("2026-11-25T12:00:00Z"));
    private FileTrail trail;
    private SecurityTrail securityTrail;

    @BeforeEach
    void open() {
        trail = FileTrail.open(TrailConfig.defaults(temp.resolve("trail"), temp.resolve("keys/trail.p8"),
                "secret".toCharArray()), clock, new SecureRandom());
        securityTrail = SecurityTrail.start(trail, clock, new SecurityTrailPolicy(WINDOW, 3));
    }

    @AfterEach
    void close() {
        securityTrail.close();
        trail.close();
    }

    private SecurityEvent.AuthorizationDenied denied(String resource) {
        return new SecurityEvent.AuthorizationDenied(clock.instant(), "192.0.2.7", CERT, "meter-1", "iot:Publish", resource);
    }

    private List<TrailEvent> gatewayRecords() {
        List<TrailEvent> events = trail.lookup(new TrailQuery(null, null, null, null, null, null, TrailEvent.GATEWAY_SOURCE),
                Page.Request.first(100)).items().stream().map(TrailRecord::event).toList();
        return events.reversed(); // oldest first
    }

    private static long count(TrailEvent event) {
        return event.requestParameters().path("count").asLong();
    }

    @Test
    void theFirstDenialIsRecordedAtOnceAndAQuietKeyIsForgotten() {
        securityTrail.onEvent(denied(FORBIDDEN));
        assertThat(gatewayRecords()).singleElement().satisfies(e -> {
            assertThat(e.eventName()).isEqualTo(SecurityTrail.AUTHORIZATION_FAILURE);
            assertThat(e.principal()).isEqualTo(CERT);
            assertThat(e.sourceIp()).isEqualTo("192.0.2.7");
            assertThat(e.resources()).containsExactly(FORBIDDEN);
            assertThat(e.errorCode()).isEqualTo("AccessDenied");
            assertThat(count(e)).isEqualTo(1);
        });
        clock.advance(WINDOW);
        securityTrail.tick();
        assertThat(gatewayRecords()).hasSize(1);

        clock.advance(Duration.ofSeconds(1));
        securityTrail.onEvent(denied(FORBIDDEN));
        assertThat(gatewayRecords()).hasSize(2).allSatisfy(e -> assertThat(count(e)).isEqualTo(1));
    }

    @Test
    void aContinuingFloodIsOneRecordPerWindowWithItsCountAndTimes() {
        securityTrail.onEvent(denied(FORBIDDEN));
        Instant firstRepeat = clock.advance(Duration.ofSeconds(1));
        for (int i = 0; i < 500; i++) {
            securityTrail.onEvent(denied(FORBIDDEN));
        }
        Instant lastRepeat = clock.advance(Duration.ofSeconds(10));
        securityTrail.onEvent(denied(FORBIDDEN));
        clock.advance(WINDOW);
        securityTrail.tick();
        for (int i = 0; i < 7; i++) {
            securityTrail.onEvent(denied(FORBIDDEN));
        }
        clock.advance(WINDOW);
        securityTrail.tick();
        clock.advance(WINDOW);
        securityTrail.tick(); // a quiet window: nothing more

        List<TrailEvent> records = gatewayRecords();
        assertThat(records).extracting(SecurityTrailTest::count).containsExactly(1L, 501L, 7L);
        assertThat(records.get(1).requestParameters().path("firstTime").asText()).isEqualTo(firstRepeat.toString());
        assertThat(records.get(1).requestParameters().path("lastTime").asText()).isEqualTo(lastRepeat.toString());
    }

    @Test
    void keysAreSeparatePerResourceAndPerKindOfEvent() {
        securityTrail.onEvent(denied(FORBIDDEN));
        securityTrail.onEvent(denied(FORBIDDEN + "/other"));
        securityTrail.onEvent(new SecurityEvent.AuthenticationFailed(clock.instant(), "192.0.2.7",
                AuthenticationFailureReason.CERTIFICATE_REVOKED, Optional.of(CERT), Optional.of("CN=Rampart CA"),
                Optional.empty(), Optional.empty(), "certificate is REVOKED"));
        assertThat(gatewayRecords()).extracting(TrailEvent::eventName).containsExactly(SecurityTrail.AUTHORIZATION_FAILURE,
                SecurityTrail.AUTHORIZATION_FAILURE, SecurityTrail.AUTHENTICATION_FAILURE);
        TrailEvent refused = gatewayRecords().get(2);
        assertThat(refused.errorCode()).isEqualTo("CERTIFICATE_REVOKED");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.resources()).containsExactly(CERT);
    }

    @Test
    void theBudgetCapsRecordsPerWindowAndWhatItRefusedIsReported() {
        for (int i = 0; i < 5; i++) {
            securityTrail.onEvent(denied(FORBIDDEN + "/" + i)); // five keys, a budget of three
        }
        securityTrail.onEvent(new SecurityEvent.EventsDropped(clock.instant(), 40));
        assertThat(gatewayRecords()).hasSize(3);

        clock.advance(WINDOW);
        securityTrail.tick();
        TrailEvent report = gatewayRecords().getLast();
        assertThat(report.eventName()).isEqualTo(SecurityTrail.EVENTS_DROPPED);
        assertThat(report.requestParameters().path("dropped").path(SecurityTrail.AUTHORIZATION_FAILURE).asLong()).isEqualTo(2);
        assertThat(report.requestParameters().path("dropped").path(SecurityTrail.LISTENER_BACKLOG).asLong()).isEqualTo(40);

        // A new window, a new budget.
        securityTrail.onEvent(denied(FORBIDDEN + "/new"));
        assertThat(gatewayRecords()).hasSize(5);
    }

    @Test
    void aTakeoverNamesBothConnections() {
        ClientConnection previous = new ClientConnection("meter-1", "aa".repeat(32), "192.0.2.1", "session-1", null);
        ClientConnection next = new ClientConnection("meter-1", CERT, "192.0.2.2", "session-2", null);
        securityTrail.onEvent(new SecurityEvent.SessionTakenOver(clock.instant(), previous, next));
        assertThat(gatewayRecords()).singleElement().satisfies(e -> {
            assertThat(e.eventName()).isEqualTo(SecurityTrail.SESSION_TAKEOVER);
            assertThat(e.principal()).isEqualTo(CERT);
            assertThat(e.sourceIp()).isEqualTo("192.0.2.2");
            assertThat(e.resources()).containsExactly("meter-1");
            assertThat(e.requestParameters().path("previousPrincipal").asText()).isEqualTo("aa".repeat(32));
            assertThat(e.requestParameters().path("previousSourceIp").asText()).isEqualTo("192.0.2.1");
            assertThat(e.requestParameters().path("previousSessionId").asText()).isEqualTo("session-1");
            assertThat(e.requestParameters().path("sessionId").asText()).isEqualTo("session-2");
        });
    }

    @Test
    void closingRecordsTheCountsOfOpenWindows() {
        securityTrail.onEvent(denied(FORBIDDEN));
        securityTrail.onEvent(denied(FORBIDDEN));
        securityTrail.onEvent(denied(FORBIDDEN));
        securityTrail.close();
        assertThat(gatewayRecords()).extracting(SecurityTrailTest::count).containsExactly(1L, 2L);
    }

    @Test
    void aTrailThatCannotRecordNeverFailsTheGatewaysListener() {
        trail.close();
        assertThatCode(() -> securityTrail.onEvent(denied(FORBIDDEN))).doesNotThrowAnyException();
    }

    /** A clock the test moves; {@link #advance} returns the new time. */
    private static final class HandClock extends Clock {
        private volatile Instant now;

        HandClock(Instant start) {
            now = start;
        }

        Instant advance(Duration duration) {
            now = now.plus(duration);
            return now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
