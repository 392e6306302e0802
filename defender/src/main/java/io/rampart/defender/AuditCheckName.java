package io.rampart.defender;

import java.util.Arrays;
import java.util.List;

/**
 * Every audit check by its AWS name, plus Rampart's own (prefixed {@code RAMPART_}). Checks about AWS features Rampart
 * does not have (Cognito identity pools, role aliases) are known, so their names are recognized, but cannot be enabled.
 */
public enum AuditCheckName {
    AUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK(Severity.CRITICAL, ResourceType.COGNITO_IDENTITY_POOL,
            "Rampart has no Cognito identity pools"),
    CA_CERTIFICATE_EXPIRING_CHECK(Severity.MEDIUM, ResourceType.CA_CERTIFICATE, null),
    CA_CERTIFICATE_KEY_QUALITY_CHECK(Severity.CRITICAL, ResourceType.CA_CERTIFICATE, null),
    CONFLICTING_CLIENT_IDS_CHECK(Severity.HIGH, ResourceType.CLIENT_ID, null),
    DEVICE_CERTIFICATE_AGE_CHECK(Severity.LOW, ResourceType.DEVICE_CERTIFICATE, null),
    DEVICE_CERTIFICATE_EXPIRING_CHECK(Severity.MEDIUM, ResourceType.DEVICE_CERTIFICATE, null),
    DEVICE_CERTIFICATE_KEY_QUALITY_CHECK(Severity.CRITICAL, ResourceType.DEVICE_CERTIFICATE, null),
    DEVICE_CERTIFICATE_SHARED_CHECK(Severity.CRITICAL, ResourceType.DEVICE_CERTIFICATE, null),
    INTERMEDIATE_CA_REVOKED_FOR_ACTIVE_DEVICE_CERTIFICATES_CHECK(Severity.CRITICAL, ResourceType.ISSUER_CERTIFICATE, null),
    IOT_POLICY_OVERLY_PERMISSIVE_CHECK(Severity.CRITICAL, ResourceType.IOT_POLICY, null),
    IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK(Severity.MEDIUM, ResourceType.IOT_POLICY, null),
    IOT_ROLE_ALIAS_ALLOWS_ACCESS_TO_UNUSED_SERVICES_CHECK(Severity.MEDIUM, ResourceType.ROLE_ALIAS,
            "Rampart has no role aliases"),
    IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK(Severity.CRITICAL, ResourceType.ROLE_ALIAS, "Rampart has no role aliases"),
    LOGGING_DISABLED_CHECK(Severity.LOW, ResourceType.ACCOUNT_SETTINGS, null),
    REVOKED_CA_CERTIFICATE_STILL_ACTIVE_CHECK(Severity.CRITICAL, ResourceType.CA_CERTIFICATE, null),
    REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK(Severity.MEDIUM, ResourceType.DEVICE_CERTIFICATE, null),
    UNAUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK(Severity.CRITICAL, ResourceType.COGNITO_IDENTITY_POOL,
            "Rampart has no Cognito identity pools"),
    /** Rampart's own: the gateway accepts plain, unauthenticated MQTT ({@code --plain-port}). */
    RAMPART_PLAIN_LISTENER_ENABLED_CHECK(Severity.HIGH, ResourceType.ACCOUNT_SETTINGS, null);

    private final Severity severity;
    private final ResourceType resourceType;
    private final String notApplicable;

    AuditCheckName(Severity severity, ResourceType resourceType, String notApplicable) {
        this.severity = severity;
        this.resourceType = resourceType;
        this.notApplicable = notApplicable;
    }

    /** The severity of every finding of this check (AWS gives each check one severity). */
    public Severity severity() {
        return severity;
    }

    /** The type of resource this check's findings are about. */
    public ResourceType resourceType() {
        return resourceType;
    }

    /** Whether Rampart can run this check (false for checks about AWS features Rampart does not have). */
    public boolean applicable() {
        return notApplicable == null;
    }

    /** Why the check cannot run here, or null when it can. */
    public String whyNotApplicable() {
        return notApplicable;
    }

    /** The checks Rampart runs, in declaration order. */
    public static List<AuditCheckName> applicableChecks() {
        return Arrays.stream(values()).filter(AuditCheckName::applicable).toList();
    }

    /** The check named {@code name}, or an InvalidRequestException naming the valid names. */
    public static AuditCheckName parse(String name) {
        for (AuditCheckName check : values()) {
            if (check.name().equals(name)) {
                return check;
            }
        }
        throw io.rampart.common.RampartException.invalidRequest("unknown audit check '" + name + "'; known checks: "
                + String.join(", ", Arrays.stream(values()).map(Enum::name).toList()));
    }
}
