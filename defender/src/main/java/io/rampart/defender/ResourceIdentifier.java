package io.rampart.defender;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.rampart.common.RampartException;
import java.util.ArrayList;
import java.util.List;

/**
 * The resource a finding or suppression is about, with AWS's ResourceIdentifier members (those that name something
 * Rampart has). Exactly the members that identify the resource are set; the others are null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResourceIdentifier(String deviceCertificateId, String caCertificateId, String clientId,
                                 PolicyVersionIdentifier policyVersionIdentifier, String account,
                                 IssuerCertificateIdentifier issuerCertificateIdentifier, String deviceCertificateArn) {

    /** A policy version: {@code policyVersionIdentifier{policyName, policyVersionId}}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PolicyVersionIdentifier(String policyName, String policyVersionId) {
    }

    /** The issuer (CA) of a device certificate: {@code issuerCertificateIdentifier{...}}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IssuerCertificateIdentifier(String issuerCertificateSubject, String issuerId,
                                              String issuerCertificateSerialNumber) {
    }

    public ResourceIdentifier {
        if (key(deviceCertificateId, caCertificateId, clientId, policyVersionIdentifier, account,
                issuerCertificateIdentifier, deviceCertificateArn).isEmpty()) {
            throw RampartException.invalidRequest("resourceIdentifier must name a resource: give deviceCertificateId,"
                    + " caCertificateId, clientId, policyVersionIdentifier, account or issuerCertificateIdentifier");
        }
    }

    public static ResourceIdentifier deviceCertificate(String certificateId) {
        return new ResourceIdentifier(certificateId, null, null, null, null, null, null);
    }

    public static ResourceIdentifier caCertificate(String caCertificateId) {
        return new ResourceIdentifier(null, caCertificateId, null, null, null, null, null);
    }

    public static ResourceIdentifier client(String clientId) {
        return new ResourceIdentifier(null, null, clientId, null, null, null, null);
    }

    public static ResourceIdentifier policyVersion(String policyName, String policyVersionId) {
        return new ResourceIdentifier(null, null, null, new PolicyVersionIdentifier(policyName, policyVersionId), null,
                null, null);
    }

    public static ResourceIdentifier account(String accountId) {
        return new ResourceIdentifier(null, null, null, null, accountId, null, null);
    }

    /** A device certificate's issuing CA together with the device certificate. */
    public static ResourceIdentifier issuer(String subject, String issuerId, String serialNumber,
                                            String deviceCertificateArn) {
        return new ResourceIdentifier(null, null, null, null, null,
                new IssuerCertificateIdentifier(subject, issuerId, serialNumber), deviceCertificateArn);
    }

    /**
     * The canonical text of the identifier ({@code deviceCertificateId=...}, members in a fixed order): two
     * identifiers name the same resource exactly when their keys are equal. Suppressions match findings on it.
     */
    @JsonIgnore
    public String key() {
        return key(deviceCertificateId, caCertificateId, clientId, policyVersionIdentifier, account,
                issuerCertificateIdentifier, deviceCertificateArn);
    }

    private static String key(String deviceCertificateId, String caCertificateId, String clientId,
                              PolicyVersionIdentifier policy, String account, IssuerCertificateIdentifier issuer,
                              String deviceCertificateArn) {
        List<String> parts = new ArrayList<>();
        add(parts, "deviceCertificateId", deviceCertificateId);
        add(parts, "caCertificateId", caCertificateId);
        add(parts, "clientId", clientId);
        if (policy != null) {
            add(parts, "policyName", policy.policyName());
            add(parts, "policyVersionId", policy.policyVersionId());
        }
        add(parts, "account", account);
        if (issuer != null) {
            add(parts, "issuerCertificateSubject", issuer.issuerCertificateSubject());
            add(parts, "issuerId", issuer.issuerId());
            add(parts, "issuerCertificateSerialNumber", issuer.issuerCertificateSerialNumber());
        }
        add(parts, "deviceCertificateArn", deviceCertificateArn);
        return String.join("\n", parts);
    }

    private static void add(List<String> parts, String name, String value) {
        if (value != null) {
            parts.add(name + "=" + value);
        }
    }
}
