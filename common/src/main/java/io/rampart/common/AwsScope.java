package io.rampart.common;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The region and account id a node answers for; every ARN it issues is built from them.
 *
 * <p>Both are configuration; the defaults match what the AWS CLI would use for a fresh profile.
 */
public record AwsScope(String region, String accountId) {
    public static final String DEFAULT_REGION = "us-east-1";
    public static final String DEFAULT_ACCOUNT_ID = "000000000000";
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

    public AwsScope {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(accountId, "accountId");
        if (!REGION.matcher(region).matches()) {
            throw RampartException.invalidRequest("region must look like 'us-east-1', got '" + region + "'");
        }
        if (!ACCOUNT.matcher(accountId).matches()) {
            throw RampartException.invalidRequest("account id must be 12 digits, got '" + accountId + "'");
        }
    }

    public static AwsScope defaults() {
        return new AwsScope(DEFAULT_REGION, DEFAULT_ACCOUNT_ID);
    }

    /** {@code arn:aws:iot:REGION:ACCOUNT:<resourceType>/<name>}, e.g. {@code arn("thing", "lamp-1")}. */
    public String arn(String resourceType, String name) {
        return "arn:aws:iot:" + region + ":" + accountId + ":" + resourceType + "/" + name;
    }

    /** The prefix every IoT ARN of this node starts with: {@code arn:aws:iot:REGION:ACCOUNT:}. */
    public String arnPrefix() {
        return "arn:aws:iot:" + region + ":" + accountId + ":";
    }
}
