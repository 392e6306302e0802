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
        settings.put("payload-bytes", (l, v) -> copy(l).payload(count(v)).build());
        settings.put("topic-bytes", (l, v) -> copy(l).topicBytes(count(v)).build());
        settings.put("topic-slashes", (l, v) -> copy(l).topicSlashes(count(v)).build());
        settings.put("client-id-bytes", (l, v) -> copy(l).clientIdBytes(count(v)).build());
        settings.put("subscriptions-per-connection", (l, v) -> copy(l).subscriptions(count(v)).build());
        settings.put("publishes-per-second", (l, v) -> copy(l).publishesPerSecond(count(v)).build());
        settings.put("connect-interval", (l, v) -> copy(l).connectInterval(duration(v)).build());
        settings.put("keep-alive-min", (l, v) -> copy(l).keepAliveMin(duration(v)).build());
        settings.put("keep-alive-max", (l, v) -> copy(l).keepAliveMax(duration(v)).build());
        settings.put("in-flight", (l, v) -> copy(l).inFlight(count(v)).build());
        settings.put("queued-messages", (l, v) -> copy(l).queued(count(v)).build());
        settings.put("topic-aliases", (l, v) -> copy(l).topicAliases(count(v)).build());
        settings.put("authorization-cache", (l, v) -> copy(l).authorizationCache(count(v)).build());
        settings.put("session-expiry-max", (l, v) -> copy(l).sessionExpiryMax(duration(v)).build());
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

    private static String text(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    private static Builder copy(BrokerLimits limits) {
        return new Builder(limits);
    }

    /** Rebuilds a {@link BrokerLimits} with one field changed; the record's constructor validates the result. */
    private static final class Builder {
        private int payload, topicBytes, topicSlashes, clientIdBytes, subscriptions, publishesPerSecond, inFlight, queued,
                topicAliases, authorizationCache;
        private Duration connectInterval, keepAliveMin, keepAliveMax, sessionExpiryMax;

        Builder(BrokerLimits l) {
            payload = l.maxPayloadBytes();
            topicBytes = l.maxTopicBytes();
            topicSlashes = l.maxTopicSlashes();
            clientIdBytes = l.maxClientIdBytes();
            subscriptions = l.maxSubscriptionsPerConnection();
            publishesPerSecond = l.maxPublishesPerSecond();
            connectInterval = l.minConnectInterval();
            keepAliveMin = l.minKeepAlive();
            keepAliveMax = l.maxKeepAlive();
            inFlight = l.maxInFlight();
            queued = l.maxQueuedMessages();
            topicAliases = l.topicAliasMaximum();
            authorizationCache = l.authorizationCacheSize();
            sessionExpiryMax = l.maxSessionExpiry();
        }

        Builder payload(int v) { payload = v; return this; }
        Builder topicBytes(int v) { topicBytes = v; return this; }
        Builder topicSlashes(int v) { topicSlashes = v; return this; }
        Builder clientIdBytes(int v) { clientIdBytes = v; return this; }
        Builder subscriptions(int v) { subscriptions = v; return this; }
        Builder publishesPerSecond(int v) { publishesPerSecond = v; return this; }
        Builder connectInterval(Duration v) { connectInterval = v; return this; }
        Builder keepAliveMin(Duration v) { keepAliveMin = v; return this; }
        Builder keepAliveMax(Duration v) { keepAliveMax = v; return this; }
        Builder inFlight(int v) { inFlight = v; return this; }
        Builder queued(int v) { queued = v; return this; }
        Builder topicAliases(int v) { topicAliases = v; return this; }
        Builder authorizationCache(int v) { authorizationCache = v; return this; }
        Builder sessionExpiryMax(Duration v) { sessionExpiryMax = v; return this; }

        BrokerLimits build() {
            return new BrokerLimits(payload, topicBytes, topicSlashes, clientIdBytes, subscriptions, publishesPerSecond,
                    connectInterval, keepAliveMin, keepAliveMax, inFlight, queued, topicAliases, authorizationCache,
                    sessionExpiryMax);
        }
    }
}
