package io.rampart.server;

import io.rampart.broker.BrokerLimits;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway limits an operator can change with {@code rampart server --limit NAME=VALUE}: each name maps to one
 * {@link BrokerLimits} field, starting from AWS IoT Core's defaults. Counts are plain integers, durations take a
 * unit ({@code 500ms}, {@code 30s}, {@code 20m}).
 */
public final class GatewayLimits {
    /** Each name {@code --limit} accepts, with the field it sets. */
    private static final Map<String, Setter> SETTINGS = settings();

    private GatewayLimits() {
    }

    /**
     * {@code base} with each {@code NAME=VALUE} of {@code assignments} applied, later assignments winning.
     *
     * @throws IllegalArgumentException naming the assignment, when a name is unknown, a value does not parse or the
     *                                  result breaks a limit's own rule (e.g. keep-alive-min above keep-alive-max)
     */
    public static BrokerLimits apply(BrokerLimits base, List<String> assignments) {
        BrokerLimits limits = base;
        for (String assignment : assignments) {
            int equals = assignment.indexOf('=');
            if (equals <= 0 || equals == assignment.length() - 1) {
                throw new IllegalArgumentException("--limit takes NAME=VALUE, got '" + assignment + "'");
            }
            String name = assignment.substring(0, equals).trim();
            String value = assignment.substring(equals + 1).trim();
            Setter setting = SETTINGS.get(name);
            if (setting == null) {
                throw new IllegalArgumentException("unknown limit '" + name + "'; known limits: "
                        + String.join(", ", SETTINGS.keySet()));
            }
            try {
                limits = setting.apply(limits, value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--limit " + assignment + ": " + e.getMessage(), e);
            }
        }
        return limits;
    }

    private static Map<String, Setter> settings() {
        Map<String, Setter> settings = new LinkedHashMap<>();
        settings.put("payload-bytes", (l, v) -> l.toBuilder().maxPayloadBytes(count(v)).build());
        settings.put("topic-bytes", (l, v) -> l.toBuilder().maxTopicBytes(count(v)).build());
        settings.put("topic-slashes", (l, v) -> l.toBuilder().maxTopicSlashes(count(v)).build());
        settings.put("client-id-bytes", (l, v) -> l.toBuilder().maxClientIdBytes(count(v)).build());
        settings.put("subscriptions-per-connection", (l, v) -> l.toBuilder().maxSubscriptionsPerConnection(count(v)).build());
        settings.put("publishes-per-second", (l, v) -> l.toBuilder().maxPublishesPerSecond(count(v)).build());
        settings.put("connect-interval", (l, v) -> l.toBuilder().minConnectInterval(duration(v)).build());
        settings.put("keep-alive-min", (l, v) -> l.toBuilder().minKeepAlive(duration(v)).build());
        settings.put("keep-alive-max", (l, v) -> l.toBuilder().maxKeepAlive(duration(v)).build());
        settings.put("in-flight", (l, v) -> l.toBuilder().maxInFlight(count(v)).build());
        settings.put("queued-messages", (l, v) -> l.toBuilder().maxQueuedMessages(count(v)).build());
        settings.put("topic-aliases", (l, v) -> l.toBuilder().topicAliasMaximum(count(v)).build());
        settings.put("authorization-cache", (l, v) -> l.toBuilder().authorizationCacheSize(count(v)).build());
        settings.put("session-expiry-max", (l, v) -> l.toBuilder().maxSessionExpiry(duration(v)).build());
        return Collections.unmodifiableMap(settings);
    }

    /** The limit names {@code --limit} accepts, in the order the help lists them. */
    public static List<String> names() {
        return List.copyOf(SETTINGS.keySet());
    }

    /** Sets one field from the text after {@code NAME=}. */
    @FunctionalInterface
    private interface Setter {
        BrokerLimits apply(BrokerLimits limits, String value);
    }

    private static int count(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not a whole number");
        }
    }

    /** {@code 0}, or a whole number followed by ms, s, m, h or d. */
    static Duration duration(String value) {
        if (value.equals("0")) {
            return Duration.ZERO;
        }
        int unitStart = 0;
        while (unitStart < value.length() && Character.isDigit(value.charAt(unitStart))) {
            unitStart++;
        }
        if (unitStart == 0) {
            throw new IllegalArgumentException("'" + value + "' is not a duration such as 500ms, 30s, 20m, 1h or 7d");
        }
        long amount;
        try {
            amount = Long.parseLong(value.substring(0, unitStart));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is too large");
        }
        return switch (value.substring(unitStart)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> throw new IllegalArgumentException("'" + value + "' is not a duration such as 500ms, 30s, 20m, 1h or 7d");
        };
    }
}
