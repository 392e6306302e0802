package io.rampart.pki;

import io.rampart.common.ErrorType;
import io.rampart.common.RampartException;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A certificate's id as AWS IoT defines it: the SHA-256 of the certificate's DER encoding, 64 lower-case hex
 * characters. Also the id of a CA certificate.
 *
 * <pre>{@code
 * CertificateId id = CertificateId.of(certificate);      // from the certificate
 * CertificateId asked = new CertificateId(pathParameter); // validates, accepts upper case, normalizes
 * String arn = scope.arn("cert/" + id);                   // toString() is the bare hex value
 * }</pre>
 *
 * @param value 64 hex characters, stored lower-case
 */
public record CertificateId(String value) implements Comparable<CertificateId> {

    /** Length of the hex value; AWS documents certificateId as "fixed length of 64". */
    public static final int LENGTH = 64;

    /**
     * Validates {@code value} (64 hex characters, any case) and stores it lower-case.
     *
     * @throws RampartException INVALID_REQUEST when the value is not 64 hex characters
     */
    public CertificateId {
        if (value == null) {
            throw RampartException.invalidRequest("certificateId is missing; expected 64 hex characters");
        }
        if (value.length() != LENGTH || !isHex(value)) {
            throw RampartException.invalidRequest("certificateId must be 64 hex characters (the SHA-256 of the "
                    + "certificate's DER), got '" + abbreviate(value) + "' (" + value.length() + " characters)");
        }
        value = value.toLowerCase(Locale.ROOT);
    }

    /** The id of {@code certificate}: hex SHA-256 of its DER encoding. */
    public static CertificateId of(X509Certificate certificate) {
        try {
            return ofDer(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new RampartException(ErrorType.CERTIFICATE_VALIDATION,
                    "the certificate cannot be DER-encoded: " + e.getMessage(), e);
        }
    }

    /** The id of a certificate given as its DER bytes. */
    public static CertificateId ofDer(byte[] der) {
        try {
            return new CertificateId(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }

    /** Whether {@code value} is a well-formed certificate id, for callers that branch instead of failing. */
    public static boolean isValid(String value) {
        return value != null && value.length() == LENGTH && isHex(value);
    }

    @Override
    public int compareTo(CertificateId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
