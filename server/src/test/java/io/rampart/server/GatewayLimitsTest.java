package io.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rampart.broker.BrokerLimits;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatewayLimitsTest {
    private static final BrokerLimits AWS = BrokerLimits.awsDefaults();

    @Test
    void noAssignmentsKeepAwsDefaults() {
        assertThat(GatewayLimits.apply(AWS, List.of())).isEqualTo(AWS);
    }

    @Test
    void eachNameSetsItsOwnFieldOnly() {
        BrokerLimits changed = GatewayLimits.apply(AWS, List.of("payload-bytes=1024", "publishes-per-second=500",
                "connect-interval=0", "keep-alive-max=20m", "in-flight=20", "topic-aliases=0", "session-expiry-max=7d"));

        assertThat(changed.maxPayloadBytes()).isEqualTo(1024);
        assertThat(changed.maxPublishesPerSecond()).isEqualTo(500);
        assertThat(changed.minConnectInterval()).isZero();
        assertThat(changed.maxKeepAlive()).isEqualTo(Duration.ofMinutes(20));
        assertThat(changed.maxInFlight()).isEqualTo(20);
        assertThat(changed.topicAliasMaximum()).isZero();
        assertThat(changed.maxSessionExpiry()).isEqualTo(Duration.ofDays(7));
        assertThat(changed.maxTopicBytes()).isEqualTo(AWS.maxTopicBytes());
        assertThat(changed.maxSubscriptionsPerConnection()).isEqualTo(AWS.maxSubscriptionsPerConnection());
        assertThat(changed.minKeepAlive()).isEqualTo(AWS.minKeepAlive());
    }

    @Test
    void everyAcceptedNameChangesTheLimits() {
        for (String name : GatewayLimits.names()) {
            String value = name.startsWith("keep-alive") ? "60s" : name.equals("connect-interval") ? "250ms"
                    : name.equals("session-expiry-max") ? "2h" : "3";
            assertThat(GatewayLimits.apply(AWS, List.of(name + "=" + value))).as(name).isNotEqualTo(AWS);
        }
    }

    @Test
    void changingOneLimitKeepsTheSessionExpiryCap() {
        BrokerLimits sevenDays = AWS.withMaxSessionExpiry(Duration.ofDays(7));
        assertThat(GatewayLimits.apply(sevenDays, List.of("in-flight=5")).maxSessionExpiry()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void theLastAssignmentOfANameWins() {
        assertThat(GatewayLimits.apply(AWS, List.of("in-flight=5", "in-flight=9")).maxInFlight()).isEqualTo(9);
    }

    @Test
    void anUnknownNameIsRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> GatewayLimits.apply(AWS, List.of("payload=1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown limit 'payload'; known limits: payload-bytes, topic-bytes");
    }

    @Test
    void malformedAssignmentsAndValuesAreRefusedNamingTheAssignment() {
        assertThatThrownBy(() -> GatewayLimits.apply(AWS, List.of("in-flight")))
                .hasMessage("--limit takes NAME=VALUE, got 'in-flight'");
        assertThatThrownBy(() -> GatewayLimits.apply(AWS, List.of("in-flight=")))
                .hasMessage("--limit takes NAME=VALUE, got 'in-flight='");
        assertThatThrownBy(() -> GatewayLimits.apply(AWS, List.of("in-flight=many")))
                .hasMessage("--limit in-flight=many: 'many' is not a whole number");
        assertThatThrownBy(() -> GatewayLimits.apply(AWS, List.of("keep-alive-max=20")))
                .hasMessage("--limit keep-alive-max=20: '20' is not a duration such as 500ms, 30s, 20m, 1h or 7d");
        assertThatThrownBy(() -> GatewayLimits.apply(AWS, List.of("connect-interval=2w")))
                .hasMessageContaining("'2w' is not a duration");
    }

    @Test
    void valuesThatBreakALimitsOwnRuleAreRefused() {
        assertThatThrownBy(() -> GatewayLimits.apply(AWS, List.of("in-flight=0")))
                .hasMessage("--limit in-flight=0: maxInFlight must be 1..65535, got 0");
        assertThatThrownBy(() -> GatewayLimits.apply(AWS, List.of("keep-alive-min=30m")))
                .hasMessageStartingWith("--limit keep-alive-min=30m: keep-alive bounds must satisfy");
    }
}
