package io.rampart.pki;

import io.rampart.common.ErrorType;
import io.rampart.common.RampartException;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * RegisterCACertificate's proof of possession, as AWS IoT does it: the operator fetches a registration code
 * (GetRegistrationCode), makes a "verification certificate" whose subject CN is that code, signs it with the
 * CA's private key, and sends both certificates.
 *
 * <pre>{@code
 * String code = RegistrationCodes.generate(random);          // once per account; stored by the registry
 * RegistrationCodes.verify(caCertificate, verificationCertificate, code); // RegistrationCodeValidationException
 * }</pre>
 */
public final class RegistrationCodes {
    /** AWS documents registrationCode as "fixed length of 64", pattern {@code (0x)?[a-fA-F0-9]+}. */
    public static final int LENGTH = 64;

    private RegistrationCodes() {
    }

    /** A fresh registration code: 32 random bytes as 64 lower-case hex characters. */
    public static String generate(SecureRandom random) {
        byte[] bytes = new byte[LENGTH / 2];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Checks the proof: the verification certificate's subject CN equals {@code registrationCode} and the
     * verification certificate is signed by the CA certificate's key.
     *
     * @throws RampartException REGISTRATION_CODE_VALIDATION saying which part failed
     */
    public static void verify(X509Certificate caCertificate, X509Certificate verificationCertificate, String registrationCode) {
        if (registrationCode == null || registrationCode.isEmpty()) {
            throw new RampartException(ErrorType.REGISTRATION_CODE_VALIDATION,
                    "no registration code exists yet; call GetRegistrationCode first");
        }
        String commonName = commonName(verificationCertificate);
        if (commonName == null) {
            throw new RampartException(ErrorType.REGISTRATION_CODE_VALIDATION,
                    "the verification certificate has no subject CN; its CN must be the registration code from GetRegistrationCode");
        }
        // Constant-time: the code is an account secret until the CA is registered.
        if (!MessageDigest.isEqual(commonName.getBytes(StandardCharsets.UTF_8), registrationCode.getBytes(StandardCharsets.UTF_8))) {
            throw new RampartException(ErrorType.REGISTRATION_CODE_VALIDATION,
                    "the verification certificate's subject CN is not this account's registration code; "
                            + "make a new verification certificate with CN set to the code from GetRegistrationCode");
        }
        if (!CertificateChains.signatureVerifies(verificationCertificate, caCertificate)) {
            throw new RampartException(ErrorType.REGISTRATION_CODE_VALIDATION,
                    "the verification certificate is not signed by the private key of the CA certificate '"
                            + caCertificate.getSubjectX500Principal().getName() + "'; sign it with that CA's key");
        }
    }

    private static String commonName(X509Certificate certificate) {
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        RDN[] rdns = subject.getRDNs(BCStyle.CN);
        if (rdns.length == 0) {
            return null;
        }
        ASN1Encodable value = rdns[0].getFirst().getValue();
        return value instanceof ASN1String string ? string.getString() : IETFUtils.valueToString(value);
    }
}
