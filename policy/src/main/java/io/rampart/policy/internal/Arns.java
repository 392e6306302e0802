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

    /** True when the ARN matches the pattern part by part. */
    public static boolean like(String pattern, String arn) {
        String[] patternParts = pattern.split(":", PARTS);
        String[] arnParts = arn.split(":", PARTS);
        if (patternParts.length != PARTS || arnParts.length != PARTS) {
            return false;
        }
        for (int i = 0; i < PARTS; i++) {
            if (!Glob.matches(Glob.compile(patternParts[i]), arnParts[i])) {
                return false;
            }
        }
        return true;
    }
}
