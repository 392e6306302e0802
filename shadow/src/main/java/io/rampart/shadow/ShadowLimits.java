package io.rampart.shadow;

/**
 * Limits on shadow documents; {@link #defaults()} are AWS IoT's.
 *
 * @param maxStateBytes    bytes of {@code desired} plus {@code reported} after an update (AWS: 8 KB; metadata
 *                         is not counted)
 * @param maxDepth         nesting levels inside {@code desired} or {@code reported} (AWS: 6)
 * @param maxClientTokenBytes UTF-8 bytes of a {@code clientToken} (AWS: 64)
 */
public record ShadowLimits(int maxStateBytes, int maxDepth, int maxClientTokenBytes) {
    public ShadowLimits {
        if (maxStateBytes < 1 || maxDepth < 1 || maxClientTokenBytes < 1) {
            throw new IllegalArgumentException("shadow limits must be positive: " + maxStateBytes + ", " + maxDepth
                    + ", " + maxClientTokenBytes);
        }
    }

    /** AWS IoT's documented limits: 8,192 bytes of state, 6 levels of nesting, 64-byte client tokens. */
    public static ShadowLimits defaults() {
        return new ShadowLimits(8_192, 6, 64);
    }
}
