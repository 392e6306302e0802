package io.rampart.policy;

import io.rampart.common.ErrorType;
import io.rampart.common.RampartException;
import io.rampart.policy.internal.DistinguishedNames;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The certificate fields AWS IoT exposes as {@code iot:Certificate.*} policy variables.
 *
 * <p>Distinguished-name maps are keyed by AWS's attribute names ({@code CommonName}, {@code Organization},
 * {@code OrganizationalUnit}, {@code Country}, {@code State}, {@code SerialNumber}, {@code Title},
 * {@code Surname}, {@code GivenName}, {@code Initials}, {@code Pseudonym}, {@code GenerationQualifier},
 * {@code DistinguishedNameQualifier}); each holds the attribute's values in certificate order. Alternative-name
 * maps are keyed by {@code RFC822Name}, {@code DNSName}, {@code DirectoryName},
 * {@code UniformResourceIdentifier} and {@code IPAddress}.
 *
 * @param serialNumber  the serial number as a decimal integer, as AWS IoT formats it
 * @param certificateId the SHA-256 fingerprint of the DER encoding, lower-case hex (AWS's certificate id)
 */
public record CertificateContext(Map<String, List<String>> subject, Map<String, List<String>> issuer,
                                 Map<String, List<String>> subjectAlternativeNames,
                                 Map<String, List<String>> issuerAlternativeNames,
                                 String serialNumber, Instant notBefore, Instant notAfter, String certificateId) {

    /** The alternative-name kinds AWS IoT exposes, indexed by the X.509 GeneralName tag. */
    private static final Map<Integer, String> ALTERNATIVE_NAME_KINDS = Map.of(
            1, "RFC822Name", 2, "DNSName", 4, "DirectoryName", 6, "UniformResourceIdentifier", 7, "IPAddress");

    public CertificateContext {
        subject = copy(subject);
        issuer = copy(issuer);
        subjectAlternativeNames = copy(subjectAlternativeNames);
        issuerAlternativeNames = copy(issuerAlternativeNames);
        Objects.requireNonNull(serialNumber, "serialNumber");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        Objects.requireNonNull(certificateId, "certificateId");
    }

    /** Reads the fields from a JDK certificate; the certificate id is computed from its DER encoding. */
    public static CertificateContext of(X509Certificate certificate) {
        try {
            byte[] der = certificate.getEncoded();
            String id = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
            return new CertificateContext(
                    DistinguishedNames.attributes(certificate.getSubjectX500Principal().getEncoded()),
                    DistinguishedNames.attributes(certificate.getIssuerX500Principal().getEncoded()),
                    alternativeNames(certificate.getSubjectAlternativeNames()),
                    alternativeNames(certificate.getIssuerAlternativeNames()),
                    certificate.getSerialNumber().toString(),
                    certificate.getNotBefore().toInstant(),
                    certificate.getNotAfter().toInstant(),
                    id);
        } catch (CertificateEncodingException | CertificateParsingException e) {
            throw new RampartException(ErrorType.CERTIFICATE_VALIDATION,
                    "certificate cannot be read: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }

    private static Map<String, List<String>> alternativeNames(Collection<List<?>> names) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        if (names == null) {
            return result;
        }
        for (List<?> name : names) {
            String kind = ALTERNATIVE_NAME_KINDS.get((Integer) name.get(0));
            if (kind != null && name.get(1) instanceof String value) {
                result.computeIfAbsent(kind, k -> new ArrayList<>()).add(value);
            }
        }
        return result;
    }

    private static Map<String, List<String>> copy(Map<String, List<String>> map) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return Collections.unmodifiableMap(copy);
    }
}
