package io.rampart.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicFilterTest {
    @ParameterizedTest
    @ValueSource(strings = {"#", "+", "+/+", "/+", "sport/#", "sport/tennis/+", "+/tennis/#", "a//b", "$share/g/a/#", "$share/g/#"})
    void acceptsValidFilters(String value) {
        assertThat(new TopicFilter(value).value()).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sport/tennis#", "sport/tennis/#/ranking", "sport+", "a/+b", "#/a", "a/##", "++"})
    void rejectsMisplacedWildcards(String value) {
        assertThatThrownBy(() -> new TopicFilter(value)).hasMessageContaining("topic filter '" + value + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"$share/", "$share//a", "$share/g", "$share/g/", "$share/g+/a", "$share/#/a"})
    void rejectsMalformedSharedSubscriptions(String value) {
        assertThatThrownBy(() -> new TopicFilter(value)).hasMessageContaining("shared subscription");
    }

    @Test
    void parsesSharedSubscriptions() {
        TopicFilter filter = new TopicFilter("$share/consumer1/sport/tennis/+");
        assertThat(filter.isShared()).isTrue();
        assertThat(filter.shareGroup()).contains("consumer1");
        assertThat(filter.matchFilter()).isEqualTo("sport/tennis/+");
        assertThat(filter.levels()).containsExactly("sport", "tennis", "+");
        assertThat(filter.matches(new Topic("sport/tennis/player1"))).isTrue();
        assertThat(new TopicFilter("sport/#").shareGroup()).isEmpty();
        // "$shared/..." is not the share prefix: an ordinary filter on a $-topic.
        assertThat(new TopicFilter("$shared/g/a").isShared()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
            // MQTT 5 §4.7.1.2 and §4.7.1.3 examples
            "sport/tennis/player1/#, sport/tennis/player1, true",
            "sport/tennis/player1/#, sport/tennis/player1/ranking, true",
            "sport/tennis/player1/#, sport/tennis/player1/score/wimbledon, true",
            "sport/#, sport, true",
            "#, sport/tennis, true",
            "sport/tennis/+, sport/tennis/player1, true",
            "sport/tennis/+, sport/tennis/player1/tournament, false",
            "sport/+, sport, false",
            "sport/+, sport/, true",
            "+/+, /finance, true",
            "/+, /finance, true",
            "+, /finance, false",
            "+/tennis/#, sport/tennis, true",
            "a/b, a/b, true",
            "a/b, a/bc, false",
            "a/b, a, false",
            "a, a/b, false",
            "a//b, a//b, true",
            "a/+/b, a//b, true",
            // MQTT-4.7.2-1: wildcards at the first level do not match $-topics
            "#, $SYS/monitor, false",
            "+/monitor/Clients, $SYS/monitor/Clients, false",
            "$SYS/#, $SYS/monitor/Clients, true",
            "$SYS/monitor/+, $SYS/monitor/Clients, true",
            "$share/g/#, $SYS/x, false",
    })
    void matchesAsTheSpecificationSays(String filter, String topic, boolean matches) {
        assertThat(new TopicFilter(filter).matches(new Topic(topic))).isEqualTo(matches);
    }

    @Test
    void limitsApplyToTheFilterWithoutTheSharePrefix() {
        assertThat(TopicFilter.of("$share/group/a/b/c/d/e/f/g/#", TopicLimits.AWS).matchFilter()).isEqualTo("a/b/c/d/e/f/g/#");
        assertThatThrownBy(() -> TopicFilter.of("a/b/c/d/e/f/g/h/#", TopicLimits.AWS)).hasMessageContaining("8 '/' separators");
    }

    @Test
    void rejectsEmptyAndInvalidCharacters() {
        assertThatThrownBy(() -> new TopicFilter("")).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> new TopicFilter("a/\u0000")).hasMessageContaining("U+0000");
        assertThatThrownBy(() -> TopicFilter.ofUtf8(new byte[] {(byte) 0xFF}, TopicLimits.MQTT)).hasMessageContaining("UTF-8");
    }

    @Test
    void subscriptionIdentifierRange() {
        assertThat(new SubscriptionOptions(QoS.AT_LEAST_ONCE, true, true, RetainHandling.DO_NOT_SEND, 268_435_455)
                .hasSubscriptionIdentifier()).isTrue();
        assertThat(SubscriptionOptions.of(QoS.AT_MOST_ONCE).hasSubscriptionIdentifier()).isFalse();
        assertThatThrownBy(() -> new SubscriptionOptions(QoS.AT_LEAST_ONCE, false, false, RetainHandling.SEND_ON_SUBSCRIBE, 268_435_456))
                .hasMessageContaining("subscription identifier must be 1..268435455");
    }
}
