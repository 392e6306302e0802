package io.rampart.pki;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A certificate together with the key pair the server made for it (CreateKeysAndCertificate).
 * The private key exists only in this object: hand it to the caller once and let it go.
 *
 * <pre>{@code
 * IssuedCredentials issued = ca.createKeysAndCertificate(KeyAlgorithm.RSA_2048);
 * response.put("certificateId", issued.certificateId().value());
 * response.put("certificatePem", issued.certificatePem());
 * response.put("keyPair", Map.of("PublicKey", issued.publicKeyPem(), "PrivateKey", issued.privateKeyPem()));
 * }</pre>
 *
 * @param certificate the issued certificate
 * @param keyPair     its key pair
 */
public record IssuedCredentials(X509Certificate certificate, KeyPair keyPair) {
    public IssuedCredentials {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(keyPair, "keyPair");
    }

    /** The certificate's AWS id. */
    public CertificateId certificateId() {
        return CertificateId.of(certificate);
    }

    /** The certificate in PEM. */
    public String certificatePem() {
        return Pem.encodeCertificate(certificate);
    }

    /** The private key as unencrypted PKCS#8 PEM, as AWS returns it. */
    public String privateKeyPem() {
        return Pem.encodePrivateKey(keyPair.getPrivate());
    }

    /** The public key as SubjectPublicKeyInfo PEM. */
    public String publicKeyPem() {
        return Pem.encodePublicKey(keyPair.getPublic());
    }

    /** Never prints the private key. */
    @Override
    public String toString() {
        return "IssuedCredentials[certificateId=" + certificateId() + ", subject="
                + certificate.getSubjectX500Principal().getName() + "]";
    }
}
