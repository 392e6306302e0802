package io.rampart.policy.internal;

/**
 * ARN comparison for ArnEquals / ArnLike: IAM compares the six colon-separated parts separately, each with
 * {@code *} and {@code ?} wildcards, so a wildcard never spans a part boundary (the last part, the resource, may
 * itself contain colons).
 */
public final class Arns {
    private static final int PARTS = 6;

    private Arns() {
    }

    /** Compiles an ARN pattern into one glob per part; null when it does not have six parts. */
    public static int[][] compile(String pattern) {
        String[] parts = pattern.split(":", PARTS);
        if (parts.length != PARTS) {
            return null;
        }
        int[][] compiled = new int[PARTS][];
        for (int i = 0; i < PARTS; i++) {
            compiled[i] = Glob.compile(parts[i]);
        }
        return compiled;
    }

    /** True when the ARN matches the compiled pattern part by part. */
    public static boolean matches(int[][] pattern, String arn) {
        String[] parts = arn.split(":", PARTS);
        if (parts.length != PARTS) {
            return false;
        }
        for (int i = 0; i < PARTS; i++) {
            if (!Glob.matches(pattern[i], parts[i])) {
                return false;
            }
        }
        return true;
    }
}
