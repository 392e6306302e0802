package io.rampart.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void remainingExpiryCountsDownAndRoundsUpToWholeSeconds() {
        Message message = new Message(new Topic("t"), new byte[0], QoS.AT_LEAST_ONCE, false, NOW.plusSeconds(10), MessageProperties.NONE);
        assertThat(message.remainingExpiry(NOW)).isEqualTo(Duration.ofSeconds(10));
        // MQTT-3.3.2-6: the interval sent on is the received one minus the time waited; 3.5 s left is sent as 4.
        assertThat(message.remainingExpiry(NOW.plusMillis(6_500))).isEqualTo(Duration.ofSeconds(4));
        assertThat(message.isExpired(NOW.plusMillis(9_999))).isFalse();
        assertThat(message.isExpired(NOW.plusSeconds(10))).isTrue();
        assertThat(message.remainingExpiry(NOW.plusSeconds(60))).isEqualTo(Duration.ZERO);
        Message forever = Message.of(new Topic("t"), new byte[0], QoS.AT_MOST_ONCE, false);
        assertThat(forever.remainingExpiry(NOW)).isNull();
        assertThat(forever.isExpired(Instant.MAX)).isFalse();
    }

    @Test
    void equalityComparesPayloadAndPropertyBytes() {
        MessageProperties p1 = new MessageProperties(true, "a/b", new Topic("reply"), new byte[] {1, 2}, List.of(new UserProperty("k", "v")));
        MessageProperties p2 = new MessageProperties(true, "a/b", new Topic("reply"), new byte[] {1, 2}, List.of(new UserProperty("k", "v")));
        Message m1 = new Message(new Topic("t"), new byte[] {9}, QoS.EXACTLY_ONCE, true, null, p1);
        Message m2 = new Message(new Topic("t"), new byte[] {9}, QoS.EXACTLY_ONCE, true, null, p2);
        assertThat(m1).isEqualTo(m2).hasSameHashCodeAs(m2);
        assertThat(m1).isNotEqualTo(new Message(new Topic("t"), new byte[] {8}, QoS.EXACTLY_ONCE, true, null, p1));
        assertThat(m1.withRetain(false).retain()).isFalse();
        assertThat(m1.withQos(QoS.AT_LEAST_ONCE).qos()).isEqualTo(QoS.AT_LEAST_ONCE);
        assertThat(m1.toString()).contains("1 bytes").doesNotContain("[9]");
        assertThat(MessageProperties.NONE.isEmpty()).isTrue();
        assertThat(p1.isEmpty()).isFalse();
    }

    @Test
    void requiredPartsAndLimitsAreValidated() {
        assertThatThrownBy(() -> new Message(null, new byte[0], QoS.AT_MOST_ONCE, false, null, MessageProperties.NONE))
                .hasMessageContaining("topic");
        assertThatThrownBy(() -> new Message(new Topic("t"), null, QoS.AT_MOST_ONCE, false, null, MessageProperties.NONE))
                .hasMessageContaining("payload");
        assertThatThrownBy(() -> new TopicLimits(0, 7)).hasMessageContaining("maxBytes must be 1..65535, got 0");
        assertThatThrownBy(() -> new TopicLimits(256, -1)).hasMessageContaining("maxSlashes must be >= 0, got -1");
        assertThatThrownBy(() -> new UserProperty("k", null)).hasMessageContaining("value");
    }
}
