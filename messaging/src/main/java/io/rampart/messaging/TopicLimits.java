package io.rampart.messaging;

/**
 * Size limits applied to topic names and topic filters on top of MQTT's own rules.
 *
 * @param maxBytes   the most UTF-8 bytes a topic (or the filter part of a shared subscription) may have
 * @param maxSlashes the most '/' separators it may have
 */
public record TopicLimits(int maxBytes, int maxSlashes) {
    /** MQTT's own bounds: a UTF-8 string of at most 65,535 bytes and no depth limit (MQTT-4.7.3-3). */
    public static final TopicLimits MQTT = new TopicLimits(65_535, Integer.MAX_VALUE);
    /**
     * AWS IoT Core's quotas: 256 bytes and 7 slashes. Like AWS, the mandatory Basic Ingest prefix
     * {@code $aws/rules/<rule>/} is not counted against either limit.
     */
    public static final TopicLimits AWS = new TopicLimits(256, 7);

    public TopicLimits {
        if (maxBytes < 1 || maxBytes > 65_535) {
            throw new IllegalArgumentException("maxBytes must be 1..65535, got " + maxBytes);
        }
        if (maxSlashes < 0) {
            throw new IllegalArgumentException("maxSlashes must be >= 0, got " + maxSlashes);
        }
    }
}
