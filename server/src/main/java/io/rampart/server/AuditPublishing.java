package io.rampart.server;

import io.rampart.common.RampartException;
import io.rampart.messaging.Topic;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the node publishes the new (non-suppressed) findings of every completed Device Defender audit.
 *
 * @param findingsTopic the MQTT topic each finding is published to (the task's summary goes to
 *                      {@code <topic>/summary}), or empty for none ({@code --audit-findings-topic off})
 * @param webhook       the http(s) URL each finding is POSTed to ({@code --audit-webhook}), or empty for none
 */
public record AuditPublishing(Optional<Topic> findingsTopic, Optional<URI> webhook) {
    /** Devices may subscribe to {@code $aws/...} filters under their policies; only publishing there is reserved. */
    public static final String DEFAULT_FINDINGS_TOPIC = "$aws/rampart/defender/audit/findings";

    public AuditPublishing {
        Objects.requireNonNull(findingsTopic, "findingsTopic");
        Objects.requireNonNull(webhook, "webhook");
    }

    /** Findings to {@link #DEFAULT_FINDINGS_TOPIC}, no webhook. */
    public static AuditPublishing defaults() {
        return new AuditPublishing(Optional.of(new Topic(DEFAULT_FINDINGS_TOPIC)), Optional.empty());
    }

    /** {@code --audit-findings-topic}: a topic name without wildcards, or {@code off}. */
    public static Optional<Topic> parseTopic(String value) {
        if (value.equals("off")) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Topic(value));
        } catch (RampartException e) {
            throw new IllegalArgumentException("--audit-findings-topic must be a topic name or off: " + e.getMessage());
        }
    }

    /** {@code --audit-webhook}: an absolute http or https URL with a host. */
    public static URI parseWebhook(String value) {
        URI url;
        try {
            url = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--audit-webhook must be an http or https URL: " + e.getReason()
                    + " at index " + e.getIndex());
        }
        if (url.getScheme() == null || !(url.getScheme().equalsIgnoreCase("http") || url.getScheme().equalsIgnoreCase("https"))) {
            throw new IllegalArgumentException("--audit-webhook must be an http or https URL, got scheme "
                    + (url.getScheme() == null ? "none" : "'" + url.getScheme() + "'"));
        }
        if (url.getHost() == null) {
            throw new IllegalArgumentException("--audit-webhook must name a host, got " + redact(url));
        }
        return url;
    }

    /** The URL fit for logs: user info and query (where tokens usually travel) replaced by "<redacted>". */
    public static String redact(URI url) {
        StringBuilder out = new StringBuilder();
        out.append(url.getScheme()).append("://");
        if (url.getRawUserInfo() != null) {
            out.append("<redacted>@");
        }
        out.append(url.getHost() == null ? "" : url.getHost());
        if (url.getPort() >= 0) {
            out.append(':').append(url.getPort());
        }
        out.append(url.getRawPath() == null ? "" : url.getRawPath());
        if (url.getRawQuery() != null) {
            out.append("?<redacted>");
        }
        return out.toString();
    }
}
