package io.rampart.registry;

/**
 * The answer of CreateKeysAndCertificate: the certificate and its key pair. The private key exists only in
 * this value; it is returned to the caller once and never stored.
 */
public record IssuedCertificate(Certificate certificate, String publicKeyPem, String privateKeyPem) {
    @Override
    public String toString() {
        return "IssuedCertificate[" + certificate.id() + ", private key redacted]";
    }
}
