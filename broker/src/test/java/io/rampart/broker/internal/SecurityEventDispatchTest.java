package io.rampart.broker.internal;

import io.netty.channel.DefaultEventLoopGroup;
import io.rampart.broker.BrokerConfig;
import io.rampart.common.AwsScope;
import io.rampart.messaging.SecurityEvent;
import io.rampart.pki.CertificateAuthority;
import io.rampart.pki.KeyAlgorithm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The broker never waits for a security listener: a listener that falls behind loses events and is told how many. */
class SecurityEventDispatchTest {
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    private final DefaultEventLoopGroup timers = new DefaultEventLoopGroup(1);
    private BrokerCore core;

    @BeforeEach
    void setUp() {
        CertificateAuthority ca = CertificateAuthority.inMemory(KeyAlgorithm.EC_P256, "Dispatch Test CA", Clock.systemUTC(),
                new SecureRandom());
        BrokerConfig config = BrokerConfig.of(AwsScope.defaults(), new BrokerConfig.TlsListener("127.0.0.1", 0,
                ca.issueServerCertificate(List.of("localhost"), List.of("127.0.0.1"), KeyAlgorithm.EC_P256)));
        core = new BrokerCore(config, query -> {
            throw new AssertionError("nothing is authorized in this test");
        }, blocking, Clock.systemUTC(), new BrokerCounters(), timers);
    }

    @AfterEach
    void tearDown() {
        blocking.close();
        timers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static SecurityEvent denial(String clientId) {
        return new SecurityEvent.AuthorizationDenied(Instant.now(), "192.0.2.1", "cert", clientId, "iot:Publish",
                "arn:aws:iot:us-east-1:000000000000:topic/t");
    }

    @Test
    void aListenerThatFallsBehindLosesEventsAndIsToldHowMany() throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        List<SecurityEvent> seen = new CopyOnWriteArrayList<>();
        core.onSecurityEvent(event -> {
            try {
                stuck.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            seen.add(event);
        });
        int flood = BrokerCore.MAX_PENDING_SECURITY_EVENTS + 500;
        for (int i = 0; i < flood; i++) {
            core.security(denial("flood-" + i)); // returns at once although the listener is stuck
        }
        stuck.countDown();
        // Two markers, each awaited: the first drains the backlog; the second carries any loss counted meanwhile.
        for (String marker : List.of("marker-1", "marker-2")) {
            core.security(denial(marker));
            for (int i = 0; i < 200 && seen.stream().noneMatch(e -> e instanceof SecurityEvent.AuthorizationDenied d
                    && d.clientId().equals(marker)); i++) {
                Thread.sleep(50);
            }
        }
        long delivered = seen.stream().filter(SecurityEvent.AuthorizationDenied.class::isInstance).count();
        long reportedLost = seen.stream().filter(SecurityEvent.EventsDropped.class::isInstance)
                .mapToLong(e -> ((SecurityEvent.EventsDropped) e).count()).sum();
        assertThat(reportedLost).isPositive();
        // The pending ones, plus the one the listener was stuck on, plus the two markers.
        assertThat(delivered).isLessThanOrEqualTo(BrokerCore.MAX_PENDING_SECURITY_EVENTS + 3L);
        assertThat(delivered + reportedLost).isEqualTo(flood + 2L);
    }

    @Test
    void aClosedRegistrationGetsNoMoreEvents() throws Exception {
        List<SecurityEvent> first = new CopyOnWriteArrayList<>();
        List<SecurityEvent> second = new CopyOnWriteArrayList<>();
        var registration = core.onSecurityEvent(first::add);
        core.onSecurityEvent(second::add);
        registration.close();
        core.security(denial("after-close"));
        for (int i = 0; i < 200 && second.isEmpty(); i++) {
            Thread.sleep(50);
        }
        assertThat(second).hasSize(1);
        assertThat(first).isEmpty();
    }
}
