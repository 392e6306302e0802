package io.rampart.pki;

import io.rampart.common.ErrorType;
import io.rampart.common.RampartException;
import io.rampart.pki.internal.BouncyCastle;
import io.rampart.pki.internal.PemFiles;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.util.IPAddress;

import javax.security.auth.x500.X500Principal;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The node's built-in root CA: it issues device certificates (CreateKeysAndCertificate,
 * CreateCertificateFromCsr), the node's TLS server certificate, and its CRL.
 *
 * <p>On disk ({@code dir}): {@value #CERTIFICATE_FILE} (the CA certificate: what devices and clients trust) and
 * {@value #KEY_FILE} (its private key, PKCS#8 encrypted with PBES2 / AES-256-CBC / PBKDF2-HMAC-SHA256 under the
 * key-encryption secret, mode 0600). The secret never touches the disk.
 *
 * <pre>{@code
 * CertificateAuthority ca = CertificateAuthority.openOrCreate(dataDir, secret, KeyAlgorithm.EC_P256,
 *         "Rampart Root CA", clock, random);
 * IssuedCredentials made = ca.createKeysAndCertificate(KeyAlgorithm.RSA_2048);  // CreateKeysAndCertificate
 * X509Certificate fromCsr = ca.signCsr(csrPem);                                 // CreateCertificateFromCsr
 * ServerIdentity https = ca.openOrCreateServerIdentity(dataDir, List.of("localhost"), List.of("127.0.0.1"));
 * X509CRL crl = ca.crl(revokedSerials);
 * }</pre>
 *
 * <p>Instances are immutable and safe for concurrent use.
 */
public final class CertificateAuthority {
    public static final String CERTIFICATE_FILE = "ca.pem";
    public static final String KEY_FILE = "ca-key.p8";
    public static final String SERVER_CERTIFICATE_FILE = "server.pem";
    public static final String SERVER_KEY_FILE = "server-key.p8";

    /** Root CA lifetime: ten years (3,653 days covers the leap days). */
    public static final Duration CA_VALIDITY = Duration.ofDays(3653);
    /** AWS IoT issues device certificates valid until the end of 2049; Rampart does the same (capped by the CA). */
    public static final Instant AWS_DEVICE_NOT_AFTER = Instant.parse("2049-12-31T23:59:59Z");
    /** Subject AWS IoT gives to certificates it makes for CreateKeysAndCertificate. */
    public static final String AWS_DEFAULT_SUBJECT = "CN=AWS IoT Certificate";
    /** Server certificates are re-issued automatically, so they can be short-lived. */
    public static final Duration SERVER_VALIDITY = Duration.ofDays(365);
    /** A stored server certificate closer than this to expiry is re-issued at start-up. */
    public static final Duration SERVER_RENEWAL_MARGIN = Duration.ofDays(30);
    /** A CRL is valid for a week unless asked otherwise (nextUpdate). */
    public static final Duration CRL_VALIDITY = Duration.ofDays(7);
    /** Certificates start a little in the past so that devices with a slightly slow clock accept them. */
    private static final Duration BACKDATE = Duration.ofMinutes(5);

    private static final Pattern DNS_NAME = Pattern.compile(
            "(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final KeyAlgorithm algorithm;
    private final char[] keyEncryptionSecret;
    private final Clock clock;
    private final SecureRandom random;

    private CertificateAuthority(X509Certificate certificate, PrivateKey privateKey, KeyAlgorithm algorithm,
                                 char[] keyEncryptionSecret, Clock clock, SecureRandom random) {
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.algorithm = algorithm;
        this.keyEncryptionSecret = keyEncryptionSecret == null ? null : keyEncryptionSecret.clone();
        this.clock = clock;
        this.random = random;
    }

    /**
     * Loads the CA from {@code dir}, or creates it there on first start.
     *
     * @param dir                 directory holding {@value #CERTIFICATE_FILE} and {@value #KEY_FILE}; created (mode 0700) if absent
     * @param keyEncryptionSecret secret protecting the private key at rest; copied, so the caller may wipe its array
     * @param algorithm           key type of a new CA, and of server certificates this CA makes; ignored for the key of an existing CA
     * @param commonName          CN of a new CA's subject
     * @throws RampartException INVALID_REQUEST when the secret is wrong, a file is missing or damaged, or the CA expired;
     *                          the message names the file and what to do
     */
    public static CertificateAuthority openOrCreate(Path dir, char[] keyEncryptionSecret, KeyAlgorithm algorithm,
                                                    String commonName, Clock clock, SecureRandom random) {
        Objects.requireNonNull(algorithm, "algorithm");
        if (keyEncryptionSecret == null || keyEncryptionSecret.length == 0) {
            throw RampartException.invalidRequest("the CA key-encryption secret is empty; the CA private key is never stored unencrypted");
        }
        Path certificateFile = dir.resolve(CERTIFICATE_FILE);
        Path keyFile = dir.resolve(KEY_FILE);
        boolean haveCertificate = Files.exists(certificateFile);
        boolean haveKey = Files.exists(keyFile);
        if (haveCertificate && haveKey) {
            return load(certificateFile, keyFile, keyEncryptionSecret, algorithm, clock, random);
        }
        if (haveCertificate || haveKey) {
            Path present = haveCertificate ? certificateFile : keyFile;
            Path missing = haveCertificate ? keyFile : certificateFile;
            throw RampartException.invalidRequest("CA files are incomplete: " + present + " exists but " + missing
                    + " is missing; restore it from a backup (a new CA would invalidate every device certificate), "
                    + "or move " + present + " away to create a new CA");
        }
        CertificateAuthority created = create(algorithm, commonName, keyEncryptionSecret, clock, random);
        PemFiles.createDirectory(dir);
        // Key first: ca.pem is what operators hand to devices, so it appears only once its key is safely stored.
        // A crash between the writes leaves a lone key file, which the next start reports instead of overwriting.
        PemFiles.writeSecret(keyFile, Pem.encodeEncryptedPrivateKey(created.privateKey, keyEncryptionSecret, random));
        PemFiles.writePublic(certificateFile, Pem.encodeCertificate(created.certificate));
        return created;
    }

    /**
     * A CA that lives only in memory, for tests and tools: nothing is written and
     * {@link #openOrCreateServerIdentity} is unavailable (there is no secret to protect a key file with).
     */
    public static CertificateAuthority inMemory(KeyAlgorithm algorithm, String commonName, Clock clock, SecureRandom random) {
        return create(algorithm, commonName, null, clock, random);
    }

    private static CertificateAuthority create(KeyAlgorithm algorithm, String commonName, char[] secret,
                                               Clock clock, SecureRandom random) {
        if (commonName == null || commonName.isBlank()) {
            throw RampartException.invalidRequest("the CA common name is empty");
        }
        KeyPair keys = algorithm.generate(random);
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName.trim()).build();
        Instant now = clock.instant();
        SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(subject, serialNumber(random),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(CA_VALIDITY)), subject, publicKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey))
                    .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(publicKey));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(signer(keys.getPrivate(), random)));
            return new CertificateAuthority(certificate, keys.getPrivate(), algorithm, secret, clock, random);
        } catch (CertIOException | CertificateException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot build the CA certificate", e);
        }
    }

    private static CertificateAuthority load(Path certificateFile, Path keyFile, char[] secret, KeyAlgorithm algorithm,
                                             Clock clock, SecureRandom random) {
        X509Certificate certificate;
        try {
            certificate = Pem.parseCertificate(PemFiles.read(certificateFile));
        } catch (RampartException | UncheckedIOException e) {
            throw new RampartException(ErrorType.INVALID_REQUEST, "cannot read the CA certificate " + certificateFile
                    + ": " + e.getMessage(), e);
        }
        PrivateKey key;
        try {
            key = Pem.parseEncryptedPrivateKey(PemFiles.read(keyFile), secret);
        } catch (RampartException | UncheckedIOException e) {
            throw new RampartException(ErrorType.INVALID_REQUEST, "cannot decrypt the CA private key " + keyFile
                    + ": the key-encryption secret is wrong or the file is damaged (" + e.getMessage() + ")", e);
        }
        if (!keyMatches(key, certificate.getPublicKey(), random)) {
            throw RampartException.invalidRequest("the CA private key " + keyFile + " does not belong to the certificate "
                    + certificateFile + "; restore the matching pair from a backup");
        }
        if (!CertificateChains.isCa(certificate)) {
            throw RampartException.invalidRequest(certificateFile + " is not a CA certificate (basicConstraints cA is not true)");
        }
        if (clock.instant().isAfter(certificate.getNotAfter().toInstant())) {
            throw RampartException.invalidRequest("the CA certificate " + certificateFile + " expired on "
                    + certificate.getNotAfter().toInstant() + "; move " + certificateFile + " and " + keyFile
                    + " away to create a new CA (every device then needs a new certificate)");
        }
        return new CertificateAuthority(certificate, key, algorithm, secret, clock, random);
    }

    // ------------------------------------------------------------------ queries

    /** The CA certificate (what {@code ca.pem} holds). */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The CA certificate's AWS id. */
    public CertificateId certificateId() {
        return CertificateId.of(certificate);
    }

    /** Whether this CA signed {@code candidate} (issuer name matches and the signature verifies with the CA key). */
    public boolean issued(X509Certificate candidate) {
        return CertificateChains.isSignedBy(candidate, certificate);
    }

    // ------------------------------------------------------------------ device certificates

    /**
     * CreateKeysAndCertificate: makes a key pair and a certificate for it, subject {@value #AWS_DEFAULT_SUBJECT} as
     * AWS IoT does, valid until {@link #AWS_DEVICE_NOT_AFTER} (or the CA's expiry if earlier). The private key is
     * only in the returned value; this CA keeps nothing. AWS makes RSA 2048 keys here; callers choose.
     */
    public IssuedCredentials createKeysAndCertificate(KeyAlgorithm keyAlgorithm) {
        KeyPair keys = keyAlgorithm.generate(random);
        X509Certificate issued = issue(SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()),
                name(AWS_DEFAULT_SUBJECT), AWS_DEVICE_NOT_AFTER, Purpose.CLIENT, null);
        return new IssuedCredentials(issued, keys);
    }

    /**
     * CreateCertificateFromCsr with AWS IoT's validity (until {@link #AWS_DEVICE_NOT_AFTER}, capped by the CA's expiry).
     *
     * @see #signCsr(String, Instant)
     */
    public X509Certificate signCsr(String csrPem) {
        return signCsr(csrPem, AWS_DEVICE_NOT_AFTER);
    }

    /**
     * Signs a PKCS#10 CSR: checks its signature (proof that the requester holds the private key) and its key
     * strength, keeps its subject (an empty subject becomes {@value #AWS_DEFAULT_SUBJECT}) and copies its requested
     * subjectAltName; every other requested extension is ignored, so a CSR cannot ask to become a CA.
     *
     * @param notAfter end of validity; capped by the CA's own expiry
     * @throws RampartException INVALID_REQUEST for garbage, a signature that does not verify, or a weak key
     */
    public X509Certificate signCsr(String csrPem, Instant notAfter) {
        PKCS10CertificationRequest csr = Pem.parseCsr(csrPem);
        KeyQuality.requireAcceptable(csr.getSubjectPublicKeyInfo(), ErrorType.INVALID_REQUEST);
        boolean signed;
        try {
            signed = csr.isSignatureValid(new JcaContentVerifierProviderBuilder()
                    .setProvider(BouncyCastle.PROVIDER).build(csr.getSubjectPublicKeyInfo()));
        } catch (OperatorCreationException | PKCSException | RuntimeException e) {
            throw new RampartException(ErrorType.INVALID_REQUEST,
                    "the CSR's signature cannot be checked: " + e.getMessage(), e);
        }
        if (!signed) {
            throw RampartException.invalidRequest("the CSR's signature does not verify with the public key it contains: "
                    + "the CSR was altered, or was not signed by the holder of that key");
        }
        X500Name subject = csr.getSubject().getRDNs().length == 0 ? name(AWS_DEFAULT_SUBJECT) : csr.getSubject();
        return issue(csr.getSubjectPublicKeyInfo(), subject, notAfter, Purpose.CLIENT, requestedAlternativeNames(csr));
    }

    /**
     * Issues a client (device) certificate for {@code publicKey}, for tests and provisioning flows.
     *
     * @param subject an RFC 4514 distinguished name such as {@code "CN=thing-1,O=Acme"}
     * @throws RampartException INVALID_REQUEST for an unparseable subject; CERTIFICATE_VALIDATION for a weak key
     */
    public X509Certificate issue(PublicKey publicKey, String subject, Duration validity) {
        return issue(publicKey, name(subject), validity);
    }

    /** As {@link #issue(PublicKey, String, Duration)} with a BouncyCastle name. */
    public X509Certificate issue(PublicKey publicKey, X500Name subject, Duration validity) {
        SubjectPublicKeyInfo key = SubjectPublicKeyInfo.getInstance(publicKey.getEncoded());
        KeyQuality.requireAcceptable(key);
        return issue(key, subject, clock.instant().plus(validity), Purpose.CLIENT, null);
    }

    // ------------------------------------------------------------------ server certificates

    /**
     * Makes a TLS server certificate (extendedKeyUsage serverAuth) for the given names, valid {@link #SERVER_VALIDITY},
     * with a fresh key pair. Its subject CN is the first DNS name (or the first IP address).
     *
     * @throws RampartException INVALID_REQUEST when no name is given or one is malformed
     */
    public ServerIdentity issueServerCertificate(List<String> dnsNames, List<String> ipAddresses, KeyAlgorithm keyAlgorithm) {
        GeneralNames names = serverNames(dnsNames, ipAddresses);
        KeyPair keys = keyAlgorithm.generate(random);
        String commonName = dnsNames.isEmpty() ? ipAddresses.getFirst() : dnsNames.getFirst();
        X509Certificate issued = issue(SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()),
                new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build(),
                clock.instant().plus(SERVER_VALIDITY), Purpose.SERVER, names);
        return new ServerIdentity(List.of(issued, certificate), keys.getPrivate());
    }

    /**
     * Loads the server identity from {@code dir} ({@value #SERVER_CERTIFICATE_FILE}, {@value #SERVER_KEY_FILE}, the key
     * encrypted under this CA's secret), or issues and stores a new one when the files are absent, the requested
     * names changed, the certificate expires within {@link #SERVER_RENEWAL_MARGIN}, or it was not issued by this CA.
     *
     * @throws RampartException INVALID_REQUEST for malformed names, or a stored key that cannot be decrypted
     * @throws IllegalStateException on an {@link #inMemory} CA
     */
    public ServerIdentity openOrCreateServerIdentity(Path dir, List<String> dnsNames, List<String> ipAddresses) {
        if (keyEncryptionSecret == null) {
            throw new IllegalStateException("an in-memory CA has no key-encryption secret to store a server key with; "
                    + "use CertificateAuthority.openOrCreate");
        }
        GeneralNames requested = serverNames(dnsNames, ipAddresses);
        Path certificateFile = dir.resolve(SERVER_CERTIFICATE_FILE);
        Path keyFile = dir.resolve(SERVER_KEY_FILE);
        if (Files.exists(certificateFile) && Files.exists(keyFile)) {
            X509Certificate leaf;
            try {
                leaf = Pem.parseCertificates(PemFiles.read(certificateFile)).getFirst();
            } catch (RampartException | UncheckedIOException e) {
                throw new RampartException(ErrorType.INVALID_REQUEST, "cannot read the server certificate " + certificateFile
                        + "; delete it and " + keyFile + " to issue a new one (" + e.getMessage() + ")", e);
            }
            if (issued(leaf) && sameNames(leaf, requested)
                    && leaf.getNotAfter().toInstant().isAfter(clock.instant().plus(SERVER_RENEWAL_MARGIN))) {
                PrivateKey key;
                try {
                    key = Pem.parseEncryptedPrivateKey(PemFiles.read(keyFile), keyEncryptionSecret);
                } catch (RampartException e) {
                    throw new RampartException(ErrorType.INVALID_REQUEST, "cannot decrypt the server key " + keyFile
                            + " with the CA's key-encryption secret; delete " + keyFile + " and " + certificateFile
                            + " to issue a new server certificate (" + e.getMessage() + ")", e);
                }
                return new ServerIdentity(List.of(leaf, certificate), key);
            }
        }
        ServerIdentity fresh = issueServerCertificate(dnsNames, ipAddresses, algorithm);
        PemFiles.createDirectory(dir);
        PemFiles.writeSecret(keyFile, Pem.encodeEncryptedPrivateKey(fresh.privateKey(), keyEncryptionSecret, random));
        PemFiles.writePublic(certificateFile, fresh.chainPem());
        return fresh;
    }

    // ------------------------------------------------------------------ CRL

    /** A CRL revoking {@code revokedSerials} (revocation date: now), valid for {@link #CRL_VALIDITY}. */
    public X509CRL crl(Collection<BigInteger> revokedSerials) {
        Instant now = clock.instant();
        Map<BigInteger, Instant> revoked = new LinkedHashMap<>();
        revokedSerials.forEach(serial -> revoked.put(serial, now));
        return crl(revoked, CRL_VALIDITY);
    }

    /**
     * A CRL revoking each serial at its revocation time, with thisUpdate = now and nextUpdate = now + {@code validity}.
     * The CRL number (RFC 5280 5.2.3, must increase) is thisUpdate in epoch milliseconds.
     */
    public X509CRL crl(Map<BigInteger, Instant> revokedAt, Duration validity) {
        Instant now = clock.instant();
        X500Name issuer = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        X509v2CRLBuilder builder = new X509v2CRLBuilder(issuer, Date.from(now));
        builder.setNextUpdate(Date.from(now.plus(validity)));
        revokedAt.forEach((serial, at) -> builder.addCRLEntry(serial, Date.from(at), 0));
        try {
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    authorityKeyIdentifier(new JcaX509ExtensionUtils()));
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(now.toEpochMilli())));
            X509CRLHolder holder = builder.build(signer(privateKey, random));
            return new JcaX509CRLConverter().getCRL(holder);
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the CRL", e);
        }
    }

    // ------------------------------------------------------------------ internals

    private enum Purpose { CLIENT, SERVER }

    private X509Certificate issue(SubjectPublicKeyInfo publicKey, X500Name subject, Instant requestedNotAfter,
                                  Purpose purpose, GeneralNames alternativeNames) {
        Instant now = clock.instant();
        Instant caNotBefore = certificate.getNotBefore().toInstant();
        Instant caNotAfter = certificate.getNotAfter().toInstant();
        Instant notBefore = now.minus(BACKDATE).isBefore(caNotBefore) ? caNotBefore : now.minus(BACKDATE);
        // A certificate cannot be trusted past its issuer's expiry, so it does not claim to be.
        Instant notAfter = requestedNotAfter.isAfter(caNotAfter) ? caNotAfter : requestedNotAfter;
        if (!notAfter.isAfter(now)) {
            throw RampartException.invalidRequest("the requested validity ends at " + notAfter + ", which is not in the future");
        }
        boolean rsa = PKCSObjectIdentifiers.rsaEncryption.equals(publicKey.getAlgorithm().getAlgorithm());
        int usage = KeyUsage.digitalSignature | (rsa ? KeyUsage.keyEncipherment : 0);
        KeyPurposeId keyPurpose = purpose == Purpose.SERVER ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth;
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
                    X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()), serialNumber(random),
                    Date.from(notBefore), Date.from(notAfter), subject, publicKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(usage))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(keyPurpose))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey))
                    .addExtension(Extension.authorityKeyIdentifier, false, authorityKeyIdentifier(utils));
            if (alternativeNames != null) {
                // RFC 5280 4.2.1.6: critical only when the subject is empty.
                builder.addExtension(Extension.subjectAlternativeName, subject.getRDNs().length == 0, alternativeNames);
            }
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer(privateKey, random)));
        } catch (CertIOException | CertificateException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot build a certificate", e);
        }
    }

    /**
     * Key identifier only (no issuer name and serial), equal to the CA's subjectKeyIdentifier: chains still build if
     * the CA certificate is ever re-issued for the same key.
     */
    private AuthorityKeyIdentifier authorityKeyIdentifier(JcaX509ExtensionUtils utils) {
        return utils.createAuthorityKeyIdentifier(SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded()));
    }

    /** RFC 5280 4.1.2.2: positive, at most 20 octets; 159 random bits also make serials unguessable. */
    private static BigInteger serialNumber(SecureRandom random) {
        BigInteger serial;
        do {
            serial = new BigInteger(159, random);
        } while (serial.signum() == 0);
        return serial;
    }

    private static ContentSigner signer(PrivateKey key, SecureRandom random) {
        try {
            return new JcaContentSignerBuilder(signatureAlgorithm(key)).setSecureRandom(random).build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign with a " + key.getAlgorithm() + " key", e);
        }
    }

    /** The hash grows with the key, as NIST SP 800-57 pairs them (P-384 with SHA-384, P-521 with SHA-512). */
    private static String signatureAlgorithm(PrivateKey key) {
        return switch (key) {
            case RSAKey ignored -> "SHA256withRSA";
            case ECKey ec -> {
                int bits = ec.getParams().getCurve().getField().getFieldSize();
                yield bits <= 256 ? "SHA256withECDSA" : bits <= 384 ? "SHA384withECDSA" : "SHA512withECDSA";
            }
            default -> throw new IllegalStateException("unsupported CA key type " + key.getAlgorithm());
        };
    }

    private static boolean keyMatches(PrivateKey privateKey, PublicKey publicKey, SecureRandom random) {
        byte[] challenge = new byte[32];
        random.nextBytes(challenge);
        try {
            String algorithm = signatureAlgorithm(privateKey);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey, random);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalStateException e) {
            // A key of another type or curve than the certificate's cannot sign for it: that is "does not match".
            return false;
        }
    }

    /** Parses an RFC 4514 name with the JDK, which keeps its meaning: the leftmost RDN (CN) is the most specific. */
    private static X500Name name(String distinguishedName) {
        if (distinguishedName == null || distinguishedName.isBlank()) {
            throw RampartException.invalidRequest("the subject is empty; expected a name such as 'CN=thing-1,O=Acme'");
        }
        try {
            return X500Name.getInstance(new X500Principal(distinguishedName).getEncoded());
        } catch (IllegalArgumentException e) {
            throw new RampartException(ErrorType.INVALID_REQUEST, "the subject '" + distinguishedName
                    + "' is not a distinguished name such as 'CN=thing-1,O=Acme': " + e.getMessage(), e);
        }
    }

    private static GeneralNames requestedAlternativeNames(PKCS10CertificationRequest csr) {
        Extensions requested = csr.getRequestedExtensions();
        if (requested == null) {
            return null;
        }
        return GeneralNames.fromExtensions(requested, Extension.subjectAlternativeName);
    }

    private static GeneralNames serverNames(List<String> dnsNames, List<String> ipAddresses) {
        if (dnsNames.isEmpty() && ipAddresses.isEmpty()) {
            throw RampartException.invalidRequest("a server certificate needs at least one DNS name or IP address");
        }
        List<GeneralName> names = new ArrayList<>();
        for (String dns : dnsNames) {
            if (dns == null || dns.length() > 253 || !DNS_NAME.matcher(dns).matches()) {
                throw RampartException.invalidRequest("'" + dns + "' is not a valid DNS name for a server certificate");
            }
            names.add(new GeneralName(GeneralName.dNSName, dns.toLowerCase(Locale.ROOT)));
        }
        for (String ip : ipAddresses) {
            if (ip == null || !IPAddress.isValid(ip)) {
                throw RampartException.invalidRequest("'" + ip + "' is not an IPv4 or IPv6 address");
            }
            names.add(new GeneralName(GeneralName.iPAddress, ip));
        }
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    /** Compares the certificate's SANs with the requested ones as sets, with IP addresses in canonical form. */
    private static boolean sameNames(X509Certificate leaf, GeneralNames requested) {
        Set<String> wanted = new LinkedHashSet<>();
        for (GeneralName name : requested.getNames()) {
            wanted.add(canonical(name.getTagNo(), name.getTagNo() == GeneralName.iPAddress
                    ? ipText(name.getName()) : name.getName().toString()));
        }
        Set<String> present = new LinkedHashSet<>();
        try {
            Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    present.add(canonical((Integer) san.get(0), String.valueOf(san.get(1))));
                }
            }
        } catch (CertificateParsingException e) {
            // A stored certificate whose names cannot be read does not carry the requested names: issue a new one.
            return false;
        }
        return wanted.equals(present);
    }

    private static String ipText(ASN1Encodable octets) {
        byte[] bytes = ASN1OctetString.getInstance(octets).getOctets();
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an IP address built from IPAddress.isValid input has 4 or 16 bytes", e);
        }
    }

    private static String canonical(int tag, String value) {
        if (tag == GeneralName.iPAddress) {
            try {
                // getByName on a literal parses it without any DNS lookup.
                return tag + ":" + InetAddress.getByName(value).getHostAddress();
            } catch (UnknownHostException e) {
                return tag + ":" + value;
            }
        }
        return tag + ":" + value.toLowerCase(Locale.ROOT);
    }

    /** Never prints key material. */
    @Override
    public String toString() {
        return "CertificateAuthority[" + certificate.getSubjectX500Principal().getName() + ", id=" + certificateId()
                + ", notAfter=" + certificate.getNotAfter().toInstant() + "]";
    }
}
