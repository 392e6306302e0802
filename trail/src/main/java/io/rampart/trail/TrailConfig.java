package io.rampart.trail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the trail is kept.
 *
 * @param directory          segments and digests
 * @param signingKeyFile     the digest signing key (encrypted PKCS#8 PEM), kept apart from the data; created if absent
 * @param keySecret          the secret that encrypts the signing key
 * @param segmentMaxBytes    a segment rolls over once it would grow past this size
 * @param segmentMaxAge      ... or once it is this old
 * @param digestInterval     how often a signed digest is written (and always on close)
 * @param retentionMaxAge    whole segments whose newest record is older than this are deleted (null: keep)
 * @param retentionMaxBytes  oldest whole segments are deleted while the trail is larger than this (0: no limit)
 */
public record TrailConfig(Path directory, Path signingKeyFile, char[] keySecret, long segmentMaxBytes,
                          Duration segmentMaxAge, Duration digestInterval, Duration retentionMaxAge,
                          long retentionMaxBytes) {
    /** The public key verifiers use, written beside the trail. */
    public static final String PUBLIC_KEY_FILE = "trail-signing-public.pem";

    public TrailConfig {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(signingKeyFile, "signingKeyFile");
        Objects.requireNonNull(keySecret, "keySecret");
        Objects.requireNonNull(segmentMaxAge, "segmentMaxAge");
        Objects.requireNonNull(digestInterval, "digestInterval");
        if (segmentMaxBytes < 1024) {
            throw new IllegalArgumentException("segmentMaxBytes must be at least 1024, got " + segmentMaxBytes);
        }
    }

    /** Defaults: 64 MiB or 1 hour segments, hourly digests, no retention limit. */
    public static TrailConfig defaults(Path directory, Path signingKeyFile, char[] keySecret) {
        return new TrailConfig(directory, signingKeyFile, keySecret, 64L << 20, Duration.ofHours(1), Duration.ofHours(1),
                null, 0);
    }

    public TrailConfig withSegmentMaxBytes(long bytes) {
        return new TrailConfig(directory, signingKeyFile, keySecret, bytes, segmentMaxAge, digestInterval, retentionMaxAge, retentionMaxBytes);
    }

    public TrailConfig withRetention(Duration maxAge, long maxBytes) {
        return new TrailConfig(directory, signingKeyFile, keySecret, segmentMaxBytes, segmentMaxAge, digestInterval, maxAge, maxBytes);
    }
}
