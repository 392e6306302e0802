package io.rampart.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rampart.common.ErrorType;
import io.rampart.common.RampartException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicTest {
    @ParameterizedTest
    @ValueSource(strings = {"a", "/", "a/b/c", "/finance", "a//b", "$SYS/broker", "$aws/things/t1/shadow/update", "ü/€/𝄞"})
    void acceptsValidTopicNames(String value) {
        assertThat(new Topic(value).value()).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/+", "+", "a/#", "#", "sport+", "a/b#"})
    void rejectsWildcardsInTopicNames(String value) {
        assertThatThrownBy(() -> new Topic(value))
                .isInstanceOf(RampartException.class)
                .hasMessageContaining("wildcard");
    }

    @Test
    void rejectsEmptyTopic() {
        assertThatThrownBy(() -> new Topic("")).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> new Topic(null)).hasMessageContaining("must not be empty");
    }

    @Test
    void rejectsNullCharacterControlCharactersAndLoneSurrogates() {
        assertThatThrownBy(() -> new Topic("a\u0000b")).hasMessageContaining("U+0000");
        assertThatThrownBy(() -> new Topic("a\nb")).hasMessageContaining("control character U+000A");
        assertThatThrownBy(() -> new Topic("a\u0085")).hasMessageContaining("control character U+0085");
        assertThatThrownBy(() -> new Topic("a\ud800b")).hasMessageContaining("unpaired surrogate");
        assertThatThrownBy(() -> new Topic("a\udc00")).hasMessageContaining("unpaired surrogate");
    }

    @Test
    void errorsAreInvalidRequests() {
        assertThatThrownBy(() -> new Topic("a/#"))
                .isInstanceOfSatisfying(RampartException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.INVALID_REQUEST));
    }

    @Test
    void rejectsMalformedUtf8BytesInsteadOfReplacingThem() {
        byte[] overlong = {'a', (byte) 0xC0, (byte) 0xAF};
        byte[] encodedSurrogate = {(byte) 0xED, (byte) 0xA0, (byte) 0x80};
        assertThatThrownBy(() -> Topic.ofUtf8(overlong, TopicLimits.MQTT)).hasMessageContaining("not well-formed UTF-8");
        assertThatThrownBy(() -> Topic.ofUtf8(encodedSurrogate, TopicLimits.MQTT)).hasMessageContaining("not well-formed UTF-8");
        assertThat(Topic.ofUtf8("a/€".getBytes(StandardCharsets.UTF_8), TopicLimits.MQTT)).isEqualTo(new Topic("a/€"));
    }

    @Test
    void awsLimitsAllowTwoHundredFiftySixBytesAndSevenSlashes() {
        assertThat(Topic.of("x".repeat(256), TopicLimits.AWS).value()).hasSize(256);
        assertThatThrownBy(() -> Topic.of("x".repeat(257), TopicLimits.AWS)).hasMessageContaining("257 bytes long; the limit is 256");
        // Bytes, not characters: 128 two-byte characters are 256 bytes, one more is over.
        assertThat(Topic.of("é".repeat(128), TopicLimits.AWS)).isNotNull();
        assertThatThrownBy(() -> Topic.of("é".repeat(129), TopicLimits.AWS)).hasMessageContaining("258 bytes");
        assertThat(Topic.of("a/b/c/d/e/f/g/h", TopicLimits.AWS)).isNotNull();
        assertThatThrownBy(() -> Topic.of("a/b/c/d/e/f/g/h/i", TopicLimits.AWS)).hasMessageContaining("8 '/' separators; the limit is 7");
    }

    @Test
    void basicIngestPrefixIsNotCountedAgainstAwsLimits() {
        assertThat(Topic.of("$aws/rules/my_rule/a/b/c/d/e/f/g/h", TopicLimits.AWS)).isNotNull();
        assertThatThrownBy(() -> Topic.of("$aws/rules/my_rule/a/b/c/d/e/f/g/h/i", TopicLimits.AWS))
                .hasMessageContaining("8 '/' separators");
        assertThat(Topic.of("$aws/rules/my_rule/" + "x".repeat(256), TopicLimits.AWS)).isNotNull();
    }

    @Test
    void mqttLimitIsSixtyFiveThousandFiveHundredThirtyFiveBytes() {
        assertThat(new Topic("x".repeat(65_535))).isNotNull();
        assertThatThrownBy(() -> new Topic("x".repeat(65_536))).hasMessageContaining("at most 65535");
    }

    @Test
    void dollarTopicsAreSystemTopics() {
        assertThat(new Topic("$SYS/x").isSystem()).isTrue();
        assertThat(new Topic("a/$SYS").isSystem()).isFalse();
        assertThat(new Topic("a//b").levels()).containsExactly("a", "", "b");
    }

    @Test
    void qosWireValues() {
        assertThat(QoS.of(2)).isEqualTo(QoS.EXACTLY_ONCE);
        assertThat(QoS.AT_LEAST_ONCE.min(QoS.EXACTLY_ONCE)).isEqualTo(QoS.AT_LEAST_ONCE);
        assertThat(QoS.AT_LEAST_ONCE.max(QoS.AT_MOST_ONCE)).isEqualTo(QoS.AT_LEAST_ONCE);
        assertThatThrownBy(() -> QoS.of(3)).hasMessageContaining("QoS must be 0, 1 or 2, got 3");
        assertThatThrownBy(() -> QoS.of(-1)).hasMessageContaining("got -1");
    }
}
