package io.rampart.messaging;

import io.rampart.common.RampartException;
import java.util.List;
import java.util.Optional;

/**
 * An MQTT topic filter as a client sends it in SUBSCRIBE, possibly a shared subscription
 * {@code $share/<group>/<filter>} (MQTT 5 §4.8.2). Always valid once constructed: '#' only as the whole last
 * level (MQTT-4.7.1-1), '+' only as a whole level (MQTT-4.7.1-2), a share name of at least one character
 * without '/', '+' or '#' followed by a non-empty filter (MQTT-4.8.2-1, MQTT-4.8.2-2).
 *
 * @param value the filter exactly as sent, including any {@code $share/<group>/} prefix
 */
public record TopicFilter(String value) {
    private static final String SHARE_PREFIX = "$share/";

    public TopicFilter {
        if (value == null || value.isEmpty()) {
            throw RampartException.invalidRequest("topic filter must not be empty");
        }
        int bytes = MqttStrings.checkCharacters("topic filter", value);
        if (bytes > 65_535) {
            throw RampartException.invalidRequest("topic filter is " + bytes + " bytes long; MQTT allows at most 65535");
        }
        String filter = value;
        if (value.startsWith(SHARE_PREFIX)) {
            int slash = value.indexOf('/', SHARE_PREFIX.length());
            String group = slash < 0 ? value.substring(SHARE_PREFIX.length()) : value.substring(SHARE_PREFIX.length(), slash);
            if (group.isEmpty() || group.indexOf('+') >= 0 || group.indexOf('#') >= 0) {
                throw RampartException.invalidRequest("shared subscription " + MqttStrings.quote(value)
                        + ": the share name must be at least one character without '/', '+' or '#'");
            }
            if (slash < 0 || slash == value.length() - 1) {
                throw RampartException.invalidRequest("shared subscription " + MqttStrings.quote(value)
                        + " must be $share/<group>/<topic filter> with a non-empty topic filter");
            }
            filter = value.substring(slash + 1);
        }
        checkWildcards(value, filter);
    }

    private static void checkWildcards(String whole, String filter) {
        int levelStart = 0;
        for (int i = 0; i <= filter.length(); i++) {
            if (i == filter.length() || filter.charAt(i) == '/') {
                String level = filter.substring(levelStart, i);
                if (level.length() > 1 && (level.indexOf('+') >= 0 || level.indexOf('#') >= 0)) {
                    throw RampartException.invalidRequest("topic filter " + MqttStrings.quote(whole)
                            + ": a wildcard '+' or '#' must occupy a whole level, got '" + level + "'");
                }
                if (level.equals("#") && i != filter.length()) {
                    throw RampartException.invalidRequest("topic filter " + MqttStrings.quote(whole)
                            + ": '#' must be the last level");
                }
                levelStart = i + 1;
            }
        }
    }

    /** A filter checked against {@code limits} (applied to the part after any {@code $share/<group>/}). */
    public static TopicFilter of(String value, TopicLimits limits) {
        TopicFilter filter = new TopicFilter(value);
        String matching = filter.matchFilter();
        MqttStrings.checkLimits("topic filter " + MqttStrings.quote(value), matching,
                MqttStrings.checkCharacters("topic filter", matching), limits);
        return filter;
    }

    /** A filter from the raw UTF-8 bytes of a packet, rejecting malformed UTF-8 rather than replacing it. */
    public static TopicFilter ofUtf8(byte[] utf8, TopicLimits limits) {
        return of(MqttStrings.decode("topic filter", utf8), limits);
    }

    /** True for {@code $share/<group>/<filter>}. */
    public boolean isShared() {
        return value.startsWith(SHARE_PREFIX);
    }

    /** The share name of a shared subscription. */
    public Optional<String> shareGroup() {
        if (!isShared()) {
            return Optional.empty();
        }
        return Optional.of(value.substring(SHARE_PREFIX.length(), value.indexOf('/', SHARE_PREFIX.length())));
    }

    /** The filter that topics are matched against: {@link #value()} without any {@code $share/<group>/} prefix. */
    public String matchFilter() {
        return isShared() ? value.substring(value.indexOf('/', SHARE_PREFIX.length()) + 1) : value;
    }

    /** The levels of {@link #matchFilter()}. */
    public List<String> levels() {
        return List.of(matchFilter().split("/", -1));
    }

    /** True when the filter contains '+' or '#'. */
    public boolean hasWildcards() {
        String filter = matchFilter();
        return filter.indexOf('+') >= 0 || filter.indexOf('#') >= 0;
    }

    /**
     * Whether {@code topic} matches this filter (MQTT 5 §4.7): '+' matches exactly one level, '#' the parent level
     * and any number of levels below it ({@code a/#} matches {@code a}), and a filter whose first level is a
     * wildcard never matches a topic starting with '$' (MQTT-4.7.2-1).
     */
    public boolean matches(Topic topic) {
        String filter = matchFilter();
        String name = topic.value();
        if (topic.isSystem() && (filter.charAt(0) == '+' || filter.charAt(0) == '#')) {
            return false;
        }
        int f = 0;
        int t = 0;
        while (true) {
            int fEnd = filter.indexOf('/', f);
            if (fEnd < 0) {
                fEnd = filter.length();
            }
            int fLen = fEnd - f;
            if (fLen == 1 && filter.charAt(f) == '#') {
                return true;
            }
            int tEnd = name.indexOf('/', t);
            if (tEnd < 0) {
                tEnd = name.length();
            }
            boolean levelMatches = (fLen == 1 && filter.charAt(f) == '+')
                    || (fLen == tEnd - t && filter.regionMatches(f, name, t, fLen));
            if (!levelMatches) {
                return false;
            }
            boolean filterDone = fEnd == filter.length();
            boolean topicDone = tEnd == name.length();
            if (filterDone) {
                return topicDone;
            }
            f = fEnd + 1;
            t = tEnd + 1;
            if (topicDone) {
                // Filter has more levels, topic has none: only "<...>/#" matches (the parent level rule).
                return filter.length() - f == 1 && filter.charAt(f) == '#';
            }
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
