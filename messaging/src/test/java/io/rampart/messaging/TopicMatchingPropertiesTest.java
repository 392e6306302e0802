package io.rampart.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class TopicMatchingPropertiesTest {
    /** An independent oracle: the filter translated to a regular expression over the whole topic. */
    static boolean oracle(String filter, String topic) {
        if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
            return false;
        }
        StringBuilder regex = new StringBuilder();
        List<String> levels = List.of(filter.split("/", -1));
        for (int i = 0; i < levels.size(); i++) {
            String level = levels.get(i);
            if (level.equals("#")) {
                // "a/#" also matches "a": the separator before '#' is optional together with everything after it.
                if (i == 0) {
                    return true;
                }
                regex.setLength(regex.length() - 1); // drop the '/' just appended
                regex.append("(/.*)?");
                return Pattern.matches(regex.toString(), topic);
            }
            regex.append(level.equals("+") ? "[^/]*" : Pattern.quote(level));
            if (i < levels.size() - 1) {
                regex.append('/');
            }
        }
        return Pattern.matches(regex.toString(), topic);
    }

    @Property(tries = 3000)
    void matchesAgreesWithRegexOracle(@ForAll("filters") String filter, @ForAll("topics") String topic) {
        assertThat(new TopicFilter(filter).matches(new Topic(topic))).isEqualTo(oracle(filter, topic));
    }

    @Property(tries = 500)
    void everyTopicMatchesItselfAsAFilter(@ForAll("topics") String topic) {
        assertThat(new TopicFilter(topic).matches(new Topic(topic))).isTrue();
    }

    @Provide
    Arbitrary<String> topics() {
        return Arbitraries.of("a", "b", "", "$s", "ab").list().ofMinSize(1).ofMaxSize(5).map(l -> String.join("/", l)).filter(t -> !t.isEmpty());
    }

    @Provide
    Arbitrary<String> filters() {
        Arbitrary<String> body = Arbitraries.of("a", "b", "", "+", "$s", "ab").list().ofMinSize(1).ofMaxSize(5)
                .map(l -> String.join("/", l)).filter(f -> !f.isEmpty());
        return Arbitraries.oneOf(body, body.map(f -> f + "/#"), Arbitraries.just("#"));
    }
}
