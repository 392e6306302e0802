package io.rampart.pki;

import io.rampart.common.ErrorType;
import io.rampart.common.RampartException;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.nist.NISTNamedCurves;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

import java.io.IOException;
import java.security.PublicKey;
import java.util.Map;

/**
 * The minimum key strength Rampart accepts for any certificate, CSR or CA, matching AWS IoT.
 *
 * <p>AWS IoT requires "an RSA key with a length of at least 2048 bits or an ECC key derived from NIST P-256,
 * NIST P-384, or NIST P-521 curves" (Developer Guide, X.509 client certificates / CreateCertificateFromCsr).
 * Everything else (DSA, Ed25519, secp256k1, Brainpool, explicit curve parameters) is refused.
 *
 * <pre>{@code
 * KeyQuality.requireAcceptable(certificate.getPublicKey());   // throws CertificateValidationException
 * String label = KeyQuality.describe(certificate.getPublicKey()); // "EC P-256", "RSA 2048"
 * }</pre>
 */
public final class KeyQuality {
    /** Smallest RSA modulus accepted, in bits. */
    public static final int MIN_RSA_BITS = 2048;

    private static final Map<ASN1ObjectIdentifier, String> ACCEPTED_CURVES = Map.of(
            SECObjectIdentifiers.secp256r1, "P-256",
            SECObjectIdentifiers.secp384r1, "P-384",
            SECObjectIdentifiers.secp521r1, "P-521");
    private static final String ACCEPTED = "RSA of at least 2048 bits, or EC on NIST P-256, P-384 or P-521";

    private KeyQuality() {
    }

    /**
     * Fails unless {@code key} is acceptable.
     *
     * @throws RampartException CERTIFICATE_VALIDATION saying what was found and what is accepted
     */
    public static void requireAcceptable(PublicKey key) {
        requireAcceptable(SubjectPublicKeyInfo.getInstance(key.getEncoded()));
    }

    /** As {@link #requireAcceptable(PublicKey)}, for a key still in ASN.1 form (a CSR's, before the JDK touches it). */
    public static void requireAcceptable(SubjectPublicKeyInfo key) {
        requireAcceptable(key, ErrorType.CERTIFICATE_VALIDATION);
    }

    /** As {@link #requireAcceptable(SubjectPublicKeyInfo)}, failing with {@code errorType} (a CSR's weak key is an InvalidRequest). */
    static void requireAcceptable(SubjectPublicKeyInfo key, ErrorType errorType) {
        Verdict verdict = judge(key);
        if (!verdict.acceptable()) {
            throw new RampartException(errorType, "the key is " + verdict.description() + "; accepted: " + ACCEPTED);
        }
    }

    /** Whether {@code key} is acceptable, for audits that report instead of failing. */
    public static boolean isAcceptable(PublicKey key) {
        return judge(SubjectPublicKeyInfo.getInstance(key.getEncoded())).acceptable();
    }

    /** A short label for the key: {@code "RSA 2048"}, {@code "EC P-256"}, {@code "EC secp256k1"}, {@code "Ed25519"}. */
    public static String describe(PublicKey key) {
        return judge(SubjectPublicKeyInfo.getInstance(key.getEncoded())).description();
    }

    private record Verdict(boolean acceptable, String description) {
    }

    private static Verdict judge(SubjectPublicKeyInfo key) {
        ASN1ObjectIdentifier algorithm = key.getAlgorithm().getAlgorithm();
        if (algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            int bits;
            try {
                bits = RSAPublicKey.getInstance(key.parsePublicKey()).getModulus().bitLength();
            } catch (IOException | RuntimeException e) {
                return new Verdict(false, "an RSA key whose modulus cannot be read");
            }
            return new Verdict(bits >= MIN_RSA_BITS, "RSA " + bits);
        }
        if (algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            ASN1Primitive parameters = key.getAlgorithm().getParameters() == null
                    ? null : key.getAlgorithm().getParameters().toASN1Primitive();
            if (!(parameters instanceof ASN1ObjectIdentifier curve)) {
                return new Verdict(false, "an EC key with explicit or missing curve parameters (not a named curve)");
            }
            String accepted = ACCEPTED_CURVES.get(curve);
            if (accepted != null) {
                return new Verdict(true, "EC " + accepted);
            }
            String name = ECNamedCurveTable.getName(curve);
            String nist = NISTNamedCurves.getName(curve);
            return new Verdict(false, "EC " + (nist != null ? nist : name != null ? name : curve.getId()));
        }
        return new Verdict(false, nameOf(algorithm));
    }

    private static String nameOf(ASN1ObjectIdentifier algorithm) {
        return switch (algorithm.getId()) {
            case "1.3.101.112" -> "Ed25519";
            case "1.3.101.113" -> "Ed448";
            case "1.2.840.10040.4.1" -> "DSA";
            case "1.2.840.113549.1.1.10" -> "RSASSA-PSS (AWS IoT accepts rsaEncryption keys only)";
            default -> "an unsupported key type (algorithm OID " + algorithm.getId() + ")";
        };
    }
}
