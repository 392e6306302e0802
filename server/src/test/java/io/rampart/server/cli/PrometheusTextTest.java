package io.rampart.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test-side exposition-format parser accepts the format and refuses what the format forbids. */
class PrometheusTextTest {
    @Test
    void parsesCountersGaugesHistogramsEscapesAndSpecialValues() {
        var families = PrometheusText.parse("""
                # HELP a_total Things that \\\\ happened\\n twice
                # TYPE a_total counter
                a_total{kind="x\\"y\\\\z\\n",b="2",} 3.0 1700000000000
                # TYPE g gauge
                g NaN
                g{x="1"} -Inf
                # TYPE h_seconds histogram
                h_seconds_bucket{le="0.1"} 1
                h_seconds_bucket{le="+Inf"} 2
                h_seconds_count 2
                h_seconds_sum 0.5
                """);
        assertThat(families.get("a_total").help()).isEqualTo("Things that \\ happened\n twice");
        assertThat(families.get("a_total").sample("a_total", Map.of("kind", "x\"y\\z\n", "b", "2"))).get()
                .extracting(PrometheusText.Sample::value).isEqualTo(3.0);
        assertThat(families.get("g").samples()).hasSize(2);
        assertThat(families.get("h_seconds").type()).isEqualTo("histogram");
        assertThat(families.get("h_seconds").samples()).hasSize(4);
    }

    @Test
    void refusesWhatTheFormatForbids() {
        assertRefused("a 1", "must end with a line feed");
        assertRefused("1a 1\n", "invalid metric name");
        assertRefused("a{b=1} 1\n", "must be quoted");
        assertRefused("a{b=\"\\t\"} 1\n", "invalid escape");
        assertRefused("a{b=\"1\",b=\"2\"} 1\n", "given twice");
        assertRefused("a one\n", "invalid value");
        assertRefused("a 1 2 3\n", "expected a value");
        assertRefused("a 1\nb 1\na{x=\"1\"} 2\n", "interleaved");
        assertRefused("a 1\na 2\n", "duplicate series");
        assertRefused("a 1\n# TYPE a counter\n", "after its samples");
        assertRefused("# TYPE a counters\n", "unknown type");
        assertRefused("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 1\n", "decrease");
        assertRefused("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 3\nh_sum 1\n", "must equal _count");
    }

    private static void assertRefused(String text, String message) {
        assertThatThrownBy(() -> PrometheusText.parse(text)).isInstanceOf(PrometheusText.FormatException.class)
                .hasMessageContaining(message);
    }
}
