package io.rampart.pki;

import io.rampart.common.ErrorType;
import io.rampart.common.RampartException;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

import javax.security.auth.x500.X500Principal;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Rampart shows and reasons about for one certificate: DescribeCertificate, the audit, and the policy
 * variables {@code ${iot:Certificate.Subject.<Field>}}, {@code ${iot:Certificate.Issuer.<Field>}} and
 * {@code ${iot:Certificate.SubjectAlternativeName.<Kind>}}.
 *
 * <pre>{@code
 * CertificateInfo info = CertificateInfo.of(certificate);
 * info.subjectFields().get("CommonName");        // ["thing-42"]
 * info.subjectAlternativeNames().get("DNSName"); // ["device.example.com"]
 * }</pre>
 *
 * @param id                      AWS certificate id (SHA-256 of the DER)
 * @param subject                 subject DN, RFC 2253 form
 * @param issuer                  issuer DN, RFC 2253 form
 * @param serialNumber            the serial number
 * @param notBefore               start of validity
 * @param notAfter                end of validity
 * @param keyAlgorithm            {@code "EC"}, {@code "RSA"}, ...
 * @param keySize                 RSA modulus or EC field size in bits, 0 when the JDK cannot tell
 * @param keyDescription          short label, e.g. {@code "EC P-256"}, {@code "RSA 2048"}
 * @param signatureAlgorithm      e.g. {@code "SHA256withECDSA"}
 * @param ca                      basicConstraints cA=true
 * @param subjectFields           subject attributes by AWS field name (CommonName, Organization, ...), each in DN order
 * @param issuerFields            issuer attributes by AWS field name
 * @param subjectAlternativeNames SANs by AWS kind name (DNSName, IPAddress, RFC822Name, UniformResourceIdentifier,
 *                                DirectoryName), each in certificate order
 */
public record CertificateInfo(
        CertificateId id,
        String subject,
        String issuer,
        BigInteger serialNumber,
        Instant notBefore,
        Instant notAfter,
        String keyAlgorithm,
        int keySize,
        String keyDescription,
        String signatureAlgorithm,
        boolean ca,
        Map<String, List<String>> subjectFields,
        Map<String, List<String>> issuerFields,
        Map<String, List<String>> subjectAlternativeNames) {

    /** Subject/issuer attributes AWS IoT exposes as policy variables, by the field names AWS uses. */
    private static final Map<ASN1ObjectIdentifier, String> AWS_FIELD_NAMES = fieldNames();

    /** GeneralName tags (RFC 5280 4.2.1.6) to the names AWS IoT uses in SubjectAlternativeName variables. */
    private static final Map<Integer, String> SAN_KINDS = Map.of(
            1, "RFC822Name", 2, "DNSName", 4, "DirectoryName", 6, "UniformResourceIdentifier", 7, "IPAddress");

    /** Keywords for attributes the JDK would otherwise print as bare OIDs in RFC 2253 form. */
    private static final Map<String, String> KEYWORDS = Map.of(
            "2.5.4.5", "SERIALNUMBER", "2.5.4.46", "DNQUALIFIER", "2.5.4.12", "T", "2.5.4.4", "SURNAME",
            "2.5.4.42", "GIVENNAME", "2.5.4.43", "INITIALS", "2.5.4.65", "PSEUDONYM", "2.5.4.44", "GENERATION",
            "1.2.840.113549.1.9.1", "EMAILADDRESS");

    public CertificateInfo {
        subjectFields = Map.copyOf(subjectFields);
        issuerFields = Map.copyOf(issuerFields);
        subjectAlternativeNames = Map.copyOf(subjectAlternativeNames);
    }

    /** Reads everything from {@code certificate}. */
    public static CertificateInfo of(X509Certificate certificate) {
        PublicKey key = certificate.getPublicKey();
        return new CertificateInfo(
                CertificateId.of(certificate),
                certificate.getSubjectX500Principal().getName(X500Principal.RFC2253, KEYWORDS),
                certificate.getIssuerX500Principal().getName(X500Principal.RFC2253, KEYWORDS),
                certificate.getSerialNumber(),
                certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant(),
                key.getAlgorithm(),
                keySize(key),
                KeyQuality.describe(key),
                certificate.getSigAlgName(),
                CertificateChains.isCa(certificate),
                fields(certificate.getSubjectX500Principal()),
                fields(certificate.getIssuerX500Principal()),
                alternativeNames(certificate));
    }

    /** Whether {@code instant} lies within [notBefore, notAfter]. */
    public boolean isValidAt(Instant instant) {
        return !instant.isBefore(notBefore) && !instant.isAfter(notAfter);
    }

    private static int keySize(PublicKey key) {
        return switch (key) {
            case RSAKey rsa -> rsa.getModulus().bitLength();
            case ECKey ec -> ec.getParams().getCurve().getField().getFieldSize();
            default -> 0;
        };
    }

    private static Map<String, List<String>> fields(X500Principal principal) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        for (RDN rdn : X500Name.getInstance(principal.getEncoded()).getRDNs()) {
            for (AttributeTypeAndValue attribute : rdn.getTypesAndValues()) {
                String name = AWS_FIELD_NAMES.get(attribute.getType());
                if (name != null) {
                    String value = attribute.getValue() instanceof ASN1String s
                            ? s.getString() : IETFUtils.valueToString(attribute.getValue());
                    fields.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
                }
            }
        }
        fields.replaceAll((name, values) -> List.copyOf(values));
        return fields;
    }

    private static Map<String, List<String>> alternativeNames(X509Certificate certificate) {
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new RampartException(ErrorType.CERTIFICATE_VALIDATION,
                    "the certificate's subjectAltName extension cannot be parsed: " + e.getMessage(), e);
        }
        Map<String, List<String>> result = new LinkedHashMap<>();
        if (names != null) {
            for (List<?> entry : names) {
                String kind = SAN_KINDS.get((Integer) entry.get(0));
                if (kind != null && entry.get(1) instanceof String value) {
                    result.computeIfAbsent(kind, k -> new ArrayList<>()).add(value);
                }
            }
        }
        result.replaceAll((kind, values) -> List.copyOf(values));
        return result;
    }

    private static Map<ASN1ObjectIdentifier, String> fieldNames() {
        return Map.ofEntries(
                Map.entry(BCStyle.CN, "CommonName"),
                Map.entry(BCStyle.C, "Country"),
                Map.entry(BCStyle.O, "Organization"),
                Map.entry(BCStyle.OU, "OrganizationalUnit"),
                Map.entry(BCStyle.DN_QUALIFIER, "DistinguishedNameQualifier"),
                Map.entry(BCStyle.ST, "State"),
                Map.entry(BCStyle.SERIALNUMBER, "SerialNumber"),
                Map.entry(BCStyle.T, "Title"),
                Map.entry(BCStyle.SURNAME, "Surname"),
                Map.entry(BCStyle.GIVENNAME, "GivenName"),
                Map.entry(BCStyle.INITIALS, "Initials"),
                Map.entry(BCStyle.PSEUDONYM, "Pseudonym"),
                Map.entry(BCStyle.GENERATION, "GenerationQualifier"));
    }
}
