package io.rampart.pki;

import io.rampart.common.ErrorType;
import io.rampart.common.RampartException;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * Issuer/subject relations between certificates, as RegisterCertificate and RegisterCACertificate need them.
 *
 * <pre>{@code
 * CertificateChains.requireCa(caCertificate);                       // RegisterCACertificate
 * CertificateChains.requireValidAt(certificate, clock.instant());    // RegisterCertificate / RegisterCACertificate
 * if (!CertificateChains.isSignedBy(deviceCertificate, caCertificate)) { ... }   // RegisterCertificate with a CA
 * }</pre>
 */
public final class CertificateChains {
    private CertificateChains() {
    }

    /**
     * Whether {@code issuer} issued {@code certificate}: the certificate's issuer name equals the issuer's subject
     * name and the certificate's signature verifies with the issuer's public key. Validity dates are not checked.
     */
    public static boolean isSignedBy(X509Certificate certificate, X509Certificate issuer) {
        return certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())
                && signatureVerifies(certificate, issuer);
    }

    /** Whether {@code certificate}'s signature verifies with {@code issuer}'s public key, whatever the names say. */
    public static boolean signatureVerifies(X509Certificate certificate, X509Certificate issuer) {
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            // Any failure (bad signature, key/algorithm mismatch, unsupported curve) means "not signed by".
            return false;
        }
    }

    /**
     * Fails unless {@code instant} lies within the certificate's validity period, as AWS IoT checks when a
     * certificate is registered.
     *
     * @throws RampartException CERTIFICATE_VALIDATION saying whether it expired or is not yet valid, and when
     */
    public static void requireValidAt(X509Certificate certificate, Instant instant) {
        String subject = certificate.getSubjectX500Principal().getName();
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        if (instant.isAfter(notAfter)) {
            throw new RampartException(ErrorType.CERTIFICATE_VALIDATION,
                    "certificate '" + subject + "' expired on " + notAfter);
        }
        if (instant.isBefore(notBefore)) {
            throw new RampartException(ErrorType.CERTIFICATE_VALIDATION,
                    "certificate '" + subject + "' is not valid before " + notBefore);
        }
    }

    /** Whether {@code certificate} is a CA certificate (basicConstraints cA=true). */
    public static boolean isCa(X509Certificate certificate) {
        return certificate.getBasicConstraints() >= 0;
    }

    /**
     * Fails unless {@code certificate} is a CA certificate (basicConstraints cA=true) whose key usage, when
     * present, allows signing certificates (RFC 5280 4.2.1.3).
     *
     * @throws RampartException CERTIFICATE_VALIDATION naming the subject and what is missing
     */
    public static void requireCa(X509Certificate certificate) {
        String subject = certificate.getSubjectX500Principal().getName();
        if (!isCa(certificate)) {
            throw new RampartException(ErrorType.CERTIFICATE_VALIDATION, "certificate '" + subject
                    + "' is not a CA certificate: its basicConstraints extension does not say cA=true");
        }
        boolean[] keyUsage = certificate.getKeyUsage();
        if (keyUsage != null && (keyUsage.length <= 5 || !keyUsage[5])) {
            throw new RampartException(ErrorType.CERTIFICATE_VALIDATION, "certificate '" + subject
                    + "' is marked as a CA but its keyUsage does not include keyCertSign");
        }
    }
}
