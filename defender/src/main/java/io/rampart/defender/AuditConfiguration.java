package io.rampart.defender;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The account's audit configuration (DescribeAccountAuditConfiguration): every check with whether it is enabled.
 *
 * @param roleArn the role AWS would assume to read the account; stored and shown, unused by Rampart (no IAM), or null
 */
public record AuditConfiguration(String roleArn, Map<AuditCheckName, CheckConfiguration> auditCheckConfigurations) {
    public AuditConfiguration {
        auditCheckConfigurations = Collections.unmodifiableMap(new EnumMap<>(auditCheckConfigurations));
    }

    /** The configuration of one check (disabled when never configured). */
    public CheckConfiguration check(AuditCheckName check) {
        return auditCheckConfigurations.getOrDefault(check, CheckConfiguration.disabled());
    }
}
