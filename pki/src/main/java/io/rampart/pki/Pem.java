package io.rampart.pki;

import io.rampart.common.ErrorType;
import io.rampart.common.RampartException;
import io.rampart.pki.internal.BouncyCastle;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CRLException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * PEM encoding and parsing of certificates, chains, keys, CRLs and CSRs, with errors a user can act on.
 *
 * <pre>{@code
 * X509Certificate cert = Pem.parseCertificate(request.certificatePem());   // CertificateValidationException if garbage
 * String pem = Pem.encodeCertificate(cert);
 * PrivateKey key = Pem.parsePrivateKey(keyPem);        // PKCS#8, PKCS#1 (RSA) or SEC1 (EC)
 * String secretFile = Pem.encodeEncryptedPrivateKey(key, secret, random);   // PBES2 / AES-256-CBC
 * }</pre>
 *
 * <p>Parsed certificates, CRLs and keys are JDK objects (SunEC, SunRsaSign), so they work directly with
 * {@code SSLContext} and {@code Signature}. Garbage in certificate data answers
 * {@link ErrorType#CERTIFICATE_VALIDATION} (what AWS IoT answers RegisterCertificate with); garbage in keys,
 * CSRs and CRLs answers {@link ErrorType#INVALID_REQUEST} (AWS's answer to a bad CreateCertificateFromCsr).
 */
public final class Pem {
    /** AWS IoT limits certificatePem and certificateSigningRequest to 65,536 characters; so do we. */
    public static final int MAX_PEM_CHARS = 65_536;
    /** Chains and CRLs may be larger than one certificate; bounded so a request cannot exhaust memory. */
    public static final int MAX_BUNDLE_CHARS = 4 * 1024 * 1024;
    /** PBKDF2-HMAC-SHA256 iterations for encrypted keys at rest (OWASP 2023 recommendation). */
    public static final int KEY_ENCRYPTION_ITERATIONS = 600_000;

    private Pem() {
    }

    // ---------------------------------------------------------------- encoding

    /** The certificate as a {@code CERTIFICATE} PEM block. */
    public static String encodeCertificate(X509Certificate certificate) {
        try {
            return write("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new RampartException(ErrorType.CERTIFICATE_VALIDATION, "certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    /** The certificates as consecutive {@code CERTIFICATE} blocks, in the order given (leaf first for a chain). */
    public static String encodeCertificates(List<X509Certificate> certificates) {
        StringBuilder out = new StringBuilder();
        certificates.forEach(c -> out.append(encodeCertificate(c)));
        return out.toString();
    }

    /** The private key as an unencrypted PKCS#8 {@code PRIVATE KEY} block (what AWS returns to devices). */
    public static String encodePrivateKey(PrivateKey key) {
        return write("PRIVATE KEY", key.getEncoded());
    }

    /** The public key as an X.509 SubjectPublicKeyInfo {@code PUBLIC KEY} block. */
    public static String encodePublicKey(PublicKey key) {
        return write("PUBLIC KEY", key.getEncoded());
    }

    /** The CRL as an {@code X509 CRL} block. */
    public static String encodeCrl(X509CRL crl) {
        try {
            return write("X509 CRL", crl.getEncoded());
        } catch (CRLException e) {
            throw new IllegalStateException("a CRL built in memory cannot be encoded", e);
        }
    }

    /** The CSR as a {@code CERTIFICATE REQUEST} block. */
    public static String encodeCsr(PKCS10CertificationRequest csr) {
        try {
            return write("CERTIFICATE REQUEST", csr.getEncoded());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The private key as an {@code ENCRYPTED PRIVATE KEY} block: PKCS#8 with PBES2, AES-256-CBC and
     * PBKDF2-HMAC-SHA256 ({@value #KEY_ENCRYPTION_ITERATIONS} iterations, random salt and IV). OpenSSL reads
     * it ({@code openssl pkey -in key.p8}).
     */
    public static String encodeEncryptedPrivateKey(PrivateKey key, char[] secret, SecureRandom random) {
        requireSecret(secret);
        try {
            var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setPRF(PKCS8Generator.PRF_HMACSHA256)
                    .setIterationCount(KEY_ENCRYPTION_ITERATIONS)
                    .setRandom(random)
                    .setProvider(BouncyCastle.PROVIDER)
                    .setPassword(secret)
                    .build();
            PemObject object = new JcaPKCS8Generator(key, encryptor).generate();
            return write(object.getType(), object.getContent());
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot encrypt a private key with PBES2/AES-256-CBC", e);
        }
    }

    // ---------------------------------------------------------------- parsing

    /**
     * Exactly one certificate.
     *
     * @throws RampartException CERTIFICATE_VALIDATION when the text holds no certificate, more than one, or a damaged one
     */
    public static X509Certificate parseCertificate(String pem) {
        List<X509Certificate> certificates = parseCertificates(pem, MAX_PEM_CHARS);
        if (certificates.size() != 1) {
            throw new RampartException(ErrorType.CERTIFICATE_VALIDATION, "expected exactly one certificate in the PEM text, found "
                    + certificates.size() + " (a chain is accepted only where the API asks for one)");
        }
        return certificates.getFirst();
    }

    /**
     * One or more certificates in the order they appear (a chain: leaf first).
     *
     * @throws RampartException CERTIFICATE_VALIDATION when the text holds no certificate, another kind of block, or a damaged one
     */
    public static List<X509Certificate> parseCertificates(String pem) {
        return parseCertificates(pem, MAX_BUNDLE_CHARS);
    }

    private static List<X509Certificate> parseCertificates(String pem, int maxChars) {
        List<Object> objects = readAll(pem, "certificate", maxChars, ErrorType.CERTIFICATE_VALIDATION);
        List<X509Certificate> certificates = new ArrayList<>(objects.size());
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (int i = 0; i < objects.size(); i++) {
            if (!(objects.get(i) instanceof X509CertificateHolder holder)) {
                throw new RampartException(ErrorType.CERTIFICATE_VALIDATION, "PEM block " + (i + 1)
                        + " is a " + describe(objects.get(i)) + ", expected a CERTIFICATE");
            }
            try {
                certificates.add(converter.getCertificate(holder));
            } catch (CertificateException | RuntimeException e) {
                throw new RampartException(ErrorType.CERTIFICATE_VALIDATION, "PEM block " + (i + 1)
                        + " is not a valid X.509 certificate: " + e.getMessage(), e);
            }
        }
        return certificates;
    }

    /**
     * An unencrypted private key in PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1
     * ({@code EC PRIVATE KEY}) form.
     *
     * @throws RampartException INVALID_REQUEST for garbage, an encrypted key, or a key type the JDK cannot use
     */
    public static PrivateKey parsePrivateKey(String pem) {
        Object object = readOne(pem, "private key", MAX_PEM_CHARS, ErrorType.INVALID_REQUEST);
        PrivateKeyInfo info = switch (object) {
            case PrivateKeyInfo pkcs8 -> pkcs8;
            case PEMKeyPair pair -> pair.getPrivateKeyInfo();
            case PKCS8EncryptedPrivateKeyInfo ignored -> throw RampartException.invalidRequest(
                    "the private key is encrypted (ENCRYPTED PRIVATE KEY); give its secret or decrypt it first");
            case PEMEncryptedKeyPair ignored -> throw RampartException.invalidRequest(
                    "the private key is encrypted (OpenSSL Proc-Type ENCRYPTED); decrypt it first");
            default -> throw RampartException.invalidRequest(
                    "the PEM block is a " + describe(object) + ", expected a PRIVATE KEY");
        };
        try {
            return new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (IOException | RuntimeException e) {
            throw new RampartException(ErrorType.INVALID_REQUEST, "the private key cannot be read: " + messageOf(e), e);
        }
    }

    /**
     * A private key written by {@link #encodeEncryptedPrivateKey}, or any PKCS#8 {@code ENCRYPTED PRIVATE KEY}.
     *
     * @throws RampartException INVALID_REQUEST when the secret is wrong, the data damaged, or the text not an encrypted key
     */
    public static PrivateKey parseEncryptedPrivateKey(String pem, char[] secret) {
        requireSecret(secret);
        Object object = readOne(pem, "encrypted private key", MAX_PEM_CHARS, ErrorType.INVALID_REQUEST);
        if (!(object instanceof PKCS8EncryptedPrivateKeyInfo encrypted)) {
            throw RampartException.invalidRequest("the PEM block is a " + describe(object) + ", expected an ENCRYPTED PRIVATE KEY");
        }
        PrivateKeyInfo info;
        try {
            info = encrypted.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                    .setProvider(BouncyCastle.PROVIDER).build(secret));
        } catch (PKCSException | OperatorCreationException | RuntimeException e) {
            throw new RampartException(ErrorType.INVALID_REQUEST,
                    "cannot decrypt the private key: the secret is wrong or the key data is damaged", e);
        }
        try {
            return new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (IOException | RuntimeException e) {
            throw new RampartException(ErrorType.INVALID_REQUEST,
                    "the decrypted private key cannot be used: " + e.getMessage(), e);
        }
    }

    /**
     * A {@code PUBLIC KEY} block (X.509 SubjectPublicKeyInfo).
     *
     * @throws RampartException INVALID_REQUEST for garbage or a key type the JDK cannot use
     */
    public static PublicKey parsePublicKey(String pem) {
        Object object = readOne(pem, "public key", MAX_PEM_CHARS, ErrorType.INVALID_REQUEST);
        if (!(object instanceof SubjectPublicKeyInfo info)) {
            throw RampartException.invalidRequest("the PEM block is a " + describe(object) + ", expected a PUBLIC KEY");
        }
        try {
            return new JcaPEMKeyConverter().getPublicKey(info);
        } catch (IOException | RuntimeException e) {
            throw new RampartException(ErrorType.INVALID_REQUEST, "the public key cannot be used: " + e.getMessage(), e);
        }
    }

    /**
     * An {@code X509 CRL} block.
     *
     * @throws RampartException INVALID_REQUEST for garbage
     */
    public static X509CRL parseCrl(String pem) {
        Object object = readOne(pem, "CRL", MAX_BUNDLE_CHARS, ErrorType.INVALID_REQUEST);
        if (!(object instanceof X509CRLHolder holder)) {
            throw RampartException.invalidRequest("the PEM block is a " + describe(object) + ", expected an X509 CRL");
        }
        try {
            return new JcaX509CRLConverter().getCRL(holder);
        } catch (CRLException | RuntimeException e) {
            throw new RampartException(ErrorType.INVALID_REQUEST, "the CRL cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * A PKCS#10 {@code CERTIFICATE REQUEST} block. The signature is not checked here; {@link CertificateAuthority#signCsr}
     * checks it (proof of possession).
     *
     * @throws RampartException INVALID_REQUEST for garbage
     */
    public static PKCS10CertificationRequest parseCsr(String pem) {
        Object object = readOne(pem, "certificate signing request", MAX_PEM_CHARS, ErrorType.INVALID_REQUEST);
        if (!(object instanceof PKCS10CertificationRequest csr)) {
            throw RampartException.invalidRequest("the PEM block is a " + describe(object)
                    + ", expected a CERTIFICATE REQUEST");
        }
        return csr;
    }

    // ---------------------------------------------------------------- internals

    private static Object readOne(String pem, String what, int maxChars, ErrorType errorType) {
        List<Object> objects = readAll(pem, what, maxChars, errorType);
        if (objects.size() != 1) {
            throw new RampartException(errorType, "expected one " + what + " in the PEM text, found " + objects.size() + " PEM blocks");
        }
        return objects.getFirst();
    }

    /** Every PEM block in {@code pem}; text outside blocks is ignored, as OpenSSL does. */
    private static List<Object> readAll(String pem, String what, int maxChars, ErrorType errorType) {
        if (pem == null || pem.isBlank()) {
            throw new RampartException(errorType, "the " + what + " is missing: expected PEM text starting with '-----BEGIN'");
        }
        if (pem.length() > maxChars) {
            throw new RampartException(errorType, "the " + what + " PEM text is " + pem.length()
                    + " characters, more than the limit of " + maxChars);
        }
        List<Object> objects = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                objects.add(object);
            }
        } catch (IOException | RuntimeException e) {
            // BC's ASN.1 layer reports malformed input with IOException or several runtime exceptions.
            throw new RampartException(errorType, "the " + what + " is not valid PEM: " + messageOf(e), e);
        }
        if (objects.isEmpty()) {
            throw new RampartException(errorType, "the " + what + " is not PEM: no '-----BEGIN ...-----' block found");
        }
        return objects;
    }

    private static String describe(Object object) {
        return switch (object) {
            case X509CertificateHolder ignored -> "CERTIFICATE";
            case PrivateKeyInfo ignored -> "PRIVATE KEY";
            case PEMKeyPair ignored -> "PRIVATE KEY (PKCS#1/SEC1)";
            case PKCS8EncryptedPrivateKeyInfo ignored -> "ENCRYPTED PRIVATE KEY";
            case PEMEncryptedKeyPair ignored -> "encrypted OpenSSL private key";
            case SubjectPublicKeyInfo ignored -> "PUBLIC KEY";
            case X509CRLHolder ignored -> "X509 CRL";
            case PKCS10CertificationRequest ignored -> "CERTIFICATE REQUEST";
            default -> object.getClass().getSimpleName();
        };
    }

    private static String messageOf(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getMessage() == null) {
            root = root.getCause();
        }
        return Objects.requireNonNullElse(root.getMessage(), root.getClass().getSimpleName());
    }

    private static void requireSecret(char[] secret) {
        if (secret == null || secret.length == 0) {
            throw RampartException.invalidRequest("the key-encryption secret is empty");
        }
    }

    private static String write(String type, byte[] der) {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a StringWriter cannot fail", e);
        }
        return out.toString();
    }
}
