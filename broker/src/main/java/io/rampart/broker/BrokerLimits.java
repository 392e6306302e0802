package io.rampart.broker;

import java.time.Duration;

/**
 * The gateway's per-connection and per-message limits. {@link #awsDefaults()} are AWS IoT Core's message broker
 * quotas; each can be changed in configuration.
 *
 * @param maxPayloadBytes              largest PUBLISH payload accepted (AWS: 128 KB)
 * @param maxTopicBytes                longest topic name or filter, in UTF-8 bytes (AWS: 256)
 * @param maxTopicSlashes              most '/' in a topic name or filter (AWS: 7)
 * @param maxClientIdBytes             longest client id (AWS: 128)
 * @param maxSubscriptionsPerConnection most subscriptions one connection may hold (AWS: 50)
 * @param maxPublishesPerSecond        inbound PUBLISH packets per second per connection (AWS: 100)
 * @param minConnectInterval           one CONNECT per client id per this interval (AWS: 1 per second)
 * @param minKeepAlive                 keep-alive values below this are raised to it (AWS: 30 s)
 * @param maxKeepAlive                 keep-alive values above this, and 0, become this (AWS: 1200 s)
 * @param maxInFlight                  unacknowledged QoS 1/2 messages towards one client, and from it: the Receive
 *                                     Maximum announced to MQTT 5 clients (AWS: 100)
 * @param maxQueuedMessages            messages queued for one session beyond the in-flight window
 * @param topicAliasMaximum            MQTT 5 topic aliases a client may use towards the broker
 * @param authorizationCacheSize       decisions remembered per connection
 * @param maxSessionExpiry             longest a session outlives its connection (AWS: 1 hour by default): an MQTT 5
 *                                     Session Expiry Interval above it is lowered to it, and an MQTT 3.1.1 persistent
 *                                     session (cleanSession=0) is kept this long
 */
public record BrokerLimits(int maxPayloadBytes, int maxTopicBytes, int maxTopicSlashes, int maxClientIdBytes,
                           int maxSubscriptionsPerConnection, int maxPublishesPerSecond, Duration minConnectInterval,
                           Duration minKeepAlive, Duration maxKeepAlive, int maxInFlight, int maxQueuedMessages,
                           int topicAliasMaximum, int authorizationCacheSize, Duration maxSessionExpiry) {

    public BrokerLimits {
        positive("maxPayloadBytes", maxPayloadBytes);
        positive("maxTopicBytes", maxTopicBytes);
        if (maxTopicBytes > 65_535) {
            throw new IllegalArgumentException("maxTopicBytes must be at most 65535 (MQTT's string limit), got " + maxTopicBytes);
        }
        if (maxTopicSlashes < 0) {
            throw new IllegalArgumentException("maxTopicSlashes must be >= 0, got " + maxTopicSlashes);
        }
        positive("maxClientIdBytes", maxClientIdBytes);
        positive("maxSubscriptionsPerConnection", maxSubscriptionsPerConnection);
        positive("maxPublishesPerSecond", maxPublishesPerSecond);
        if (minConnectInterval.isNegative()) {
            throw new IllegalArgumentException("minConnectInterval must not be negative, got " + minConnectInterval);
        }
        if (minKeepAlive.isNegative() || minKeepAlive.compareTo(maxKeepAlive) > 0 || maxKeepAlive.toSeconds() > 65_535
                || maxKeepAlive.toSeconds() < 1) {
            throw new IllegalArgumentException("keep-alive bounds must satisfy 0 <= min <= max <= 65535 s and max >= 1 s, got "
                    + minKeepAlive.toSeconds() + ".." + maxKeepAlive.toSeconds());
        }
        if (maxInFlight < 1 || maxInFlight > 65_535) {
            throw new IllegalArgumentException("maxInFlight must be 1..65535, got " + maxInFlight);
        }
        positive("maxQueuedMessages", maxQueuedMessages);
        if (topicAliasMaximum < 0 || topicAliasMaximum > 65_535) {
            throw new IllegalArgumentException("topicAliasMaximum must be 0..65535, got " + topicAliasMaximum);
        }
        positive("authorizationCacheSize", authorizationCacheSize);
        if (maxSessionExpiry.toSeconds() < 1 || maxSessionExpiry.toSeconds() >= 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("maxSessionExpiry must be 1 s .. 4294967294 s, got " + maxSessionExpiry);
        }
    }

    private static final Duration DEFAULT_MAX_SESSION_EXPIRY = Duration.ofHours(1);

    /** AWS IoT Core's default quotas. */
    public static BrokerLimits awsDefaults() {
        return new BrokerLimits(128 * 1024, 256, 7, 128, 50, 100, Duration.ofSeconds(1),
                Duration.ofSeconds(30), Duration.ofSeconds(1200), 100, 1000, 16, 1024, DEFAULT_MAX_SESSION_EXPIRY);
    }

    /** These limits with another publish rate per connection. */
    public BrokerLimits withMaxPublishesPerSecond(int perSecond) {
        return toBuilder().maxPublishesPerSecond(perSecond).build();
    }

    /** These limits with another minimum interval between CONNECTs of one client id (zero: no limit). */
    public BrokerLimits withMinConnectInterval(Duration interval) {
        return toBuilder().minConnectInterval(interval).build();
    }

    /** These limits with another keep-alive floor. */
    public BrokerLimits withMinKeepAlive(Duration floor) {
        return toBuilder().minKeepAlive(floor).build();
    }

    /** These limits with another in-flight window (also the Receive Maximum the broker announces to MQTT 5 clients). */
    public BrokerLimits withMaxInFlight(int window) {
        return toBuilder().maxInFlight(window).build();
    }

    /** These limits with another payload limit (and so another Maximum Packet Size, see {@link #maxPacketBytes()}). */
    public BrokerLimits withMaxPayloadBytes(int bytes) {
        return toBuilder().maxPayloadBytes(bytes).build();
    }

    /** These limits with another cap on session expiry. */
    public BrokerLimits withMaxSessionExpiry(Duration cap) {
        return toBuilder().maxSessionExpiry(cap).build();
    }

    /** A builder starting from these limits, to change several at once; {@link Builder#build()} validates. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes any of the limits; each setter is named after the record component it sets. */
    public static final class Builder {
        private int maxPayloadBytes, maxTopicBytes, maxTopicSlashes, maxClientIdBytes, maxSubscriptionsPerConnection,
                maxPublishesPerSecond, maxInFlight, maxQueuedMessages, topicAliasMaximum, authorizationCacheSize;
        private Duration minConnectInterval, minKeepAlive, maxKeepAlive, maxSessionExpiry;

        private Builder(BrokerLimits from) {
            maxPayloadBytes = from.maxPayloadBytes;
            maxTopicBytes = from.maxTopicBytes;
            maxTopicSlashes = from.maxTopicSlashes;
            maxClientIdBytes = from.maxClientIdBytes;
            maxSubscriptionsPerConnection = from.maxSubscriptionsPerConnection;
            maxPublishesPerSecond = from.maxPublishesPerSecond;
            minConnectInterval = from.minConnectInterval;
            minKeepAlive = from.minKeepAlive;
            maxKeepAlive = from.maxKeepAlive;
            maxInFlight = from.maxInFlight;
            maxQueuedMessages = from.maxQueuedMessages;
            topicAliasMaximum = from.topicAliasMaximum;
            authorizationCacheSize = from.authorizationCacheSize;
            maxSessionExpiry = from.maxSessionExpiry;
        }

        public Builder maxPayloadBytes(int value) { maxPayloadBytes = value; return this; }
        public Builder maxTopicBytes(int value) { maxTopicBytes = value; return this; }
        public Builder maxTopicSlashes(int value) { maxTopicSlashes = value; return this; }
        public Builder maxClientIdBytes(int value) { maxClientIdBytes = value; return this; }
        public Builder maxSubscriptionsPerConnection(int value) { maxSubscriptionsPerConnection = value; return this; }
        public Builder maxPublishesPerSecond(int value) { maxPublishesPerSecond = value; return this; }
        public Builder minConnectInterval(Duration value) { minConnectInterval = value; return this; }
        public Builder minKeepAlive(Duration value) { minKeepAlive = value; return this; }
        public Builder maxKeepAlive(Duration value) { maxKeepAlive = value; return this; }
        public Builder maxInFlight(int value) { maxInFlight = value; return this; }
        public Builder maxQueuedMessages(int value) { maxQueuedMessages = value; return this; }
        public Builder topicAliasMaximum(int value) { topicAliasMaximum = value; return this; }
        public Builder authorizationCacheSize(int value) { authorizationCacheSize = value; return this; }
        public Builder maxSessionExpiry(Duration value) { maxSessionExpiry = value; return this; }

        /** The limits, validated by the record's constructor. */
        public BrokerLimits build() {
            return new BrokerLimits(maxPayloadBytes, maxTopicBytes, maxTopicSlashes, maxClientIdBytes,
                    maxSubscriptionsPerConnection, maxPublishesPerSecond, minConnectInterval, minKeepAlive, maxKeepAlive,
                    maxInFlight, maxQueuedMessages, topicAliasMaximum, authorizationCacheSize, maxSessionExpiry);
        }
    }

    /** The largest MQTT packet accepted: the payload limit plus room for a maximal topic and MQTT 5 properties. */
    public int maxPacketBytes() {
        return maxPayloadBytes + maxTopicBytes + 16 * 1024;
    }

    /** The keep-alive the broker enforces for a client that asked for {@code requestedSeconds} (0 = none). */
    public int effectiveKeepAliveSeconds(int requestedSeconds) {
        // AWS IoT treats 0 and anything above the maximum as the maximum, and anything below 30 s as 30 s.
        if (requestedSeconds == 0 || requestedSeconds > maxKeepAlive.toSeconds()) {
            return (int) maxKeepAlive.toSeconds();
        }
        return (int) Math.max(requestedSeconds, minKeepAlive.toSeconds());
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
