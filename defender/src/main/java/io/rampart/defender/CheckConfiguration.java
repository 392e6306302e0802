package io.rampart.defender;

import io.rampart.common.RampartException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whether a check is on, and its settings (AWS AuditCheckConfiguration). Settings Rampart knows:
 * {@value #CERT_EXPIRATION_THRESHOLD_IN_DAYS} for DEVICE_CERTIFICATE_EXPIRING_CHECK (30 to 120, default 30) and
 * {@value #CERT_AGE_THRESHOLD_IN_DAYS} for DEVICE_CERTIFICATE_AGE_CHECK (30 to 3652, default 365), as in AWS.
 */
public record CheckConfiguration(boolean enabled, Map<String, String> configuration) {
    public static final String CERT_EXPIRATION_THRESHOLD_IN_DAYS = "CERT_EXPIRATION_THRESHOLD_IN_DAYS";
    public static final String CERT_AGE_THRESHOLD_IN_DAYS = "CERT_AGE_THRESHOLD_IN_DAYS";
    /** How close to its end of validity a CA certificate is reported (AWS: 30 days, not configurable). */
    public static final int CA_EXPIRATION_THRESHOLD_DAYS = 30;

    public CheckConfiguration {
        configuration = java.util.Collections.unmodifiableMap(new TreeMap<>(configuration));
    }

    public static CheckConfiguration disabled() {
        return new CheckConfiguration(false, Map.of());
    }

    /**
     * Checks the settings given for {@code check}: only the check's own setting names, whole numbers in AWS's range.
     */
    static void validate(AuditCheckName check, Map<String, String> configuration) {
        for (Map.Entry<String, String> entry : configuration.entrySet()) {
            String name = entry.getKey();
            if (check == AuditCheckName.DEVICE_CERTIFICATE_EXPIRING_CHECK && name.equals(CERT_EXPIRATION_THRESHOLD_IN_DAYS)) {
                days(check, name, entry.getValue(), 30, 120);
            } else if (check == AuditCheckName.DEVICE_CERTIFICATE_AGE_CHECK && name.equals(CERT_AGE_THRESHOLD_IN_DAYS)) {
                days(check, name, entry.getValue(), 30, 3652);
            } else {
                throw RampartException.invalidRequest(check + " has no setting '" + name + "'"
                        + (check == AuditCheckName.DEVICE_CERTIFICATE_EXPIRING_CHECK ? "; it has " + CERT_EXPIRATION_THRESHOLD_IN_DAYS
                        : check == AuditCheckName.DEVICE_CERTIFICATE_AGE_CHECK ? "; it has " + CERT_AGE_THRESHOLD_IN_DAYS
                        : "; it takes no settings"));
            }
        }
    }

    /** A day-count setting, or {@code defaultDays} when not set. */
    public int days(String name, int defaultDays) {
        String value = configuration.get(name);
        return value == null ? defaultDays : Integer.parseInt(value);
    }

    private static void days(AuditCheckName check, String name, String value, int min, int max) {
        int days;
        try {
            days = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw RampartException.invalidRequest(check + " setting " + name + " must be a whole number of days, got '"
                    + value + "'");
        }
        if (days < min || days > max) {
            throw RampartException.invalidRequest(check + " setting " + name + " must be between " + min + " and " + max
                    + " days, got " + days);
        }
    }
}
