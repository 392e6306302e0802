package io.rampart.registry.internal;

import io.rampart.common.AwsScope;
import io.rampart.common.RampartException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Policy targets and thing principals, parsed from ARNs of this node's region and account:
 * {@code ...:cert/<certificateId>} and {@code ...:thinggroup/<groupName>}.
 */
final class Targets {
    static final String CERTIFICATE = "cert";
    static final String THING_GROUP = "thinggroup";

    /** A target as stored: its kind and key (certificate id or group name). */
    record Target(String kind, String name) {
        String arn(AwsScope scope) {
            return scope.arn(kind, name);
        }

        boolean isCertificate() {
            return kind.equals(CERTIFICATE);
        }
    }

    private Targets() {
    }

    /** A certificate or thing-group ARN; anything else is an InvalidRequestException. */
    static Target policyTarget(AwsScope scope, String arn) {
        String prefix = scope.arnPrefix();
        if (arn != null && arn.startsWith(prefix + CERTIFICATE + "/")) {
            return new Target(CERTIFICATE, Validation.certificateId(arn.substring(prefix.length() + CERTIFICATE.length() + 1)));
        }
        if (arn != null && arn.startsWith(prefix + THING_GROUP + "/")) {
            return new Target(THING_GROUP, Validation.thingGroupName(arn.substring(prefix.length() + THING_GROUP.length() + 1)));
        }
        throw RampartException.invalidRequest("target must be a certificate ARN (" + prefix + "cert/<id>) or a thing-group ARN ("
                + prefix + "thinggroup/<name>) of this account, got '" + arn + "'");
    }

    /** A principal: a certificate ARN (or, as a convenience, a bare certificate id); returns the certificate id. */
    static String certificatePrincipal(AwsScope scope, String principal) {
        String prefix = scope.arnPrefix() + CERTIFICATE + "/";
        if (principal != null && principal.startsWith(prefix)) {
            return Validation.certificateId(principal.substring(prefix.length()));
        }
        if (principal != null && !principal.startsWith("arn:")) {
            return Validation.certificateId(principal);
        }
        throw RampartException.invalidRequest("principal must be a certificate ARN of this account (" + prefix
                + "<id>), got '" + principal + "'");
    }

    /** ResourceNotFoundException unless the target exists; locks it on PostgreSQL so attachment counts stay exact. */
    static void requireExists(Store store, Connection c, Target target) throws SQLException {
        boolean exists = target.isCertificate()
                ? Jdbc.exists(c, "SELECT 1 FROM reg_certificates WHERE id = ?" + store.forUpdate(), target.name())
                : Jdbc.exists(c, "SELECT 1 FROM reg_thing_groups WHERE name = ?" + store.forUpdate(), target.name());
        if (!exists) {
            throw RampartException.notFound((target.isCertificate() ? "certificate '" : "thing group '") + target.name()
                    + "' does not exist");
        }
    }

    static void requireCertificate(Connection c, String certificateId) throws SQLException {
        if (!Jdbc.exists(c, "SELECT 1 FROM reg_certificates WHERE id = ?", certificateId)) {
            throw RampartException.notFound("certificate '" + certificateId + "' does not exist");
        }
    }
}
