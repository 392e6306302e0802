package io.rampart.pki;

import io.rampart.common.ErrorType;
import io.rampart.common.RampartException;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CertificateAuthorityTest {
    private static final char[] SECRET = "correct horse battery staple".toCharArray();

    @TempDir
    static Path shared;
    static CertificateAuthority ca;

    @BeforeAll
    static void createCa() {
        ca = CertificateAuthority.openOrCreate(shared, SECRET, KeyAlgorithm.EC_P256, "Rampart Test Root", TestPki.fixedClock(), TestPki.RANDOM);
    }

    @Test
    void firstStartWritesCaCertificateAndOwnerOnlyEncryptedKey() throws Exception {
        Path key = shared.resolve(CertificateAuthority.KEY_FILE);
        String keyText = Files.readString(key);
        assertThat(keyText).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----").doesNotContain("BEGIN PRIVATE KEY")
                .doesNotContain("BEGIN EC PRIVATE KEY");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        // The stored key is the CA's: it decrypts with the secret to a key whose signatures verify with ca.pem.
        var decrypted = Pem.parseEncryptedPrivateKey(keyText, SECRET);
        var signature = java.security.Signature.getInstance("SHA256withECDSA");
        signature.initSign(decrypted);
        signature.update(new byte[]{1, 2, 3});
        byte[] signed = signature.sign();
        signature.initVerify(ca.certificate().getPublicKey());
        signature.update(new byte[]{1, 2, 3});
        assertThat(signature.verify(signed)).isTrue();
        assertThat(Pem.parseCertificate(Files.readString(shared.resolve(CertificateAuthority.CERTIFICATE_FILE))))
                .isEqualTo(ca.certificate());
    }

    @Test
    void caCertificateIsSelfSignedTenYearRootWithCaExtensions() throws Exception {
        X509Certificate root = ca.certificate();
        root.verify(root.getPublicKey());
        assertThat(root.getSubjectX500Principal().getName()).isEqualTo("CN=Rampart Test Root");
        assertThat(root.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(root.getCriticalExtensionOIDs()).contains(Extension.basicConstraints.getId(), Extension.keyUsage.getId());
        boolean[] usage = root.getKeyUsage();
        assertThat(usage[5]).as("keyCertSign").isTrue();
        assertThat(usage[6]).as("cRLSign").isTrue();
        assertThat(usage[0]).as("digitalSignature").isFalse();
        assertThat(root.getExtensionValue(Extension.subjectKeyIdentifier.getId())).isNotNull();
        assertThat(root.getExtensionValue(Extension.authorityKeyIdentifier.getId())).isNotNull();
        assertThat(Duration.between(TestPki.NOW, root.getNotAfter().toInstant())).isEqualTo(CertificateAuthority.CA_VALIDITY);
        assertThat(root.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(KeyQuality.describe(root.getPublicKey())).isEqualTo("EC P-256");
    }

    @Test
    void reopeningWithTheRightSecretLoadsTheSameCa() {
        CertificateAuthority reopened = CertificateAuthority.openOrCreate(shared, SECRET, KeyAlgorithm.RSA_4096, "ignored",
                TestPki.fixedClock(), TestPki.RANDOM);
        assertThat(reopened.certificate()).isEqualTo(ca.certificate());
        X509Certificate issued = reopened.createKeysAndCertificate(KeyAlgorithm.EC_P256).certificate();
        assertThat(ca.issued(issued)).isTrue();
    }

    @Test
    void reopeningWithAWrongSecretFailsWithAClearMessage() {
        assertThatThrownBy(() -> CertificateAuthority.openOrCreate(shared, "wrong".toCharArray(), KeyAlgorithm.EC_P256,
                "x", TestPki.fixedClock(), TestPki.RANDOM))
                .isInstanceOfSatisfying(RampartException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.INVALID_REQUEST))
                .hasMessageContaining("secret is wrong").hasMessageContaining(CertificateAuthority.KEY_FILE);
    }

    @Test
    void halfAMissingCaIsReportedNotSilentlyReplaced(@TempDir Path dir) throws Exception {
        Files.copy(shared.resolve(CertificateAuthority.CERTIFICATE_FILE), dir.resolve(CertificateAuthority.CERTIFICATE_FILE));
        assertThatThrownBy(() -> CertificateAuthority.openOrCreate(dir, SECRET, KeyAlgorithm.EC_P256, "x",
                TestPki.fixedClock(), TestPki.RANDOM))
                .isInstanceOf(RampartException.class).hasMessageContaining(CertificateAuthority.KEY_FILE + " is missing");
        assertThat(dir.resolve(CertificateAuthority.KEY_FILE)).doesNotExist();
    }

    @Test
    void aKeyThatDoesNotBelongToTheCertificateIsRefused(@TempDir Path dir) throws Exception {
        CertificateAuthority other = CertificateAuthority.openOrCreate(dir, SECRET, KeyAlgorithm.EC_P256, "Other",
                TestPki.fixedClock(), TestPki.RANDOM);
        assertThat(other.certificate()).isNotEqualTo(ca.certificate());
        Files.copy(shared.resolve(CertificateAuthority.CERTIFICATE_FILE), dir.resolve(CertificateAuthority.CERTIFICATE_FILE),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> CertificateAuthority.openOrCreate(dir, SECRET, KeyAlgorithm.EC_P256, "x",
                TestPki.fixedClock(), TestPki.RANDOM))
                .isInstanceOf(RampartException.class).hasMessageContaining("does not belong to the certificate");
    }

    @Test
    void anExpiredCaIsRefusedAtStart() {
        var later = new TestPki.MovableClock(TestPki.NOW);
        later.advance(CertificateAuthority.CA_VALIDITY.plusDays(1));
        assertThatThrownBy(() -> CertificateAuthority.openOrCreate(shared, SECRET, KeyAlgorithm.EC_P256, "x",
                later, TestPki.RANDOM))
                .isInstanceOf(RampartException.class).hasMessageContaining("expired");
    }

    @Test
    void emptySecretIsRefused(@TempDir Path dir) {
        assertThatThrownBy(() -> CertificateAuthority.openOrCreate(dir, new char[0], KeyAlgorithm.EC_P256, "x",
                TestPki.fixedClock(), TestPki.RANDOM))
                .isInstanceOf(RampartException.class).hasMessageContaining("secret is empty");
        assertThat(dir.resolve(CertificateAuthority.KEY_FILE)).doesNotExist();
    }

    @Test
    void createKeysAndCertificateMakesAnAwsStyleClientCertificate() throws Exception {
        IssuedCredentials made = ca.createKeysAndCertificate(KeyAlgorithm.EC_P384);
        X509Certificate cert = made.certificate();
        cert.verify(ca.certificate().getPublicKey());
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=AWS IoT Certificate");
        assertThat(cert.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
        assertThat(cert.getPublicKey()).isEqualTo(made.keyPair().getPublic());
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        // AWS's 2049-12-31 would outlive the CA; the certificate stops where the CA does.
        assertThat(cert.getNotAfter()).isEqualTo(ca.certificate().getNotAfter());
        assertThat(made.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Pem.parsePrivateKey(made.privateKeyPem())).isEqualTo(made.keyPair().getPrivate());
        assertThat(made.toString()).doesNotContain("PRIVATE").contains(made.certificateId().value());
        assertThat(made.certificateId()).isEqualTo(CertificateId.of(cert));
        // AKI carries the CA's key identifier (same bytes as the CA's SKI), so chain building finds the issuer.
        byte[] caSki = org.bouncycastle.asn1.x509.SubjectKeyIdentifier.getInstance(org.bouncycastle.asn1.ASN1OctetString
                .getInstance(ca.certificate().getExtensionValue(Extension.subjectKeyIdentifier.getId())).getOctets()).getKeyIdentifier();
        var aki = org.bouncycastle.asn1.x509.AuthorityKeyIdentifier.getInstance(org.bouncycastle.asn1.ASN1OctetString
                .getInstance(cert.getExtensionValue(Extension.authorityKeyIdentifier.getId())).getOctets());
        assertThat(aki.getKeyIdentifier()).isEqualTo(caSki);
        assertThat(aki.getAuthorityCertIssuer()).isNull();
    }

    @Test
    void signCsrKeepsSubjectCopiesAltNamesAndIgnoresRequestedCaFlag() throws Exception {
        KeyPair device = TestPki.ecKeyPair("secp256r1");
        String csr = Pem.encodeCsr(TestPki.csr(device, "CN=thing-1,O=Acme", "thing-1.example.com"));
        X509Certificate cert = ca.signCsr(csr);
        cert.verify(ca.certificate().getPublicKey());
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=thing-1,O=Acme");
        assertThat(cert.getPublicKey().getEncoded()).isEqualTo(device.getPublic().getEncoded());
        assertThat(cert.getBasicConstraints()).as("not a CA, whatever the CSR asked").isEqualTo(-1);
        assertThat(CertificateInfo.of(cert).subjectAlternativeNames()).containsEntry("DNSName", List.of("thing-1.example.com"));
        assertThat(ca.issued(cert)).isTrue();
    }

    @Test
    void signCsrAcceptsRsaCsrAndHonoursARequestedNotAfter() throws Exception {
        KeyPair device = TestPki.rsaKeyPair(2048);
        X509Certificate cert = ca.signCsr(Pem.encodeCsr(TestPki.csr(device, "CN=rsa-device")),
                TestPki.NOW.plus(Duration.ofDays(30)));
        assertThat(cert.getNotAfter().toInstant()).isEqualTo(TestPki.NOW.plus(Duration.ofDays(30)));
        assertThat(cert.getKeyUsage()[2]).as("keyEncipherment for RSA").isTrue();
    }

    @Test
    void tamperedCsrIsRejected() throws Exception {
        byte[] der = TestPki.csr(TestPki.ecKeyPair("secp256r1"), "CN=thing-1").getEncoded();
        byte[] name = "thing-1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int at = indexOf(der, name);
        der[at + 6] = '2';   // thing-1 -> thing-2, signature unchanged
        String tampered = "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END CERTIFICATE REQUEST-----\n";
        assertThatThrownBy(() -> ca.signCsr(tampered))
                .isInstanceOfSatisfying(RampartException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.INVALID_REQUEST))
                .hasMessageContaining("signature does not verify");
    }

    @Test
    void csrWithWeakRsaKeyIsRejected() throws Exception {
        String csr = Pem.encodeCsr(TestPki.csr(TestPki.rsaKeyPair(1024), "CN=weak"));
        assertThatThrownBy(() -> ca.signCsr(csr))
                .isInstanceOfSatisfying(RampartException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.INVALID_REQUEST))
                .hasMessageContaining("RSA 1024").hasMessageContaining("at least 2048");
    }

    @Test
    void csrOnUnsupportedCurveIsRejected() throws Exception {
        String csr = Pem.encodeCsr(TestPki.csr(TestPki.ecKeyPair("secp256k1"), "CN=bitcoin-curve"));
        assertThatThrownBy(() -> ca.signCsr(csr))
                .isInstanceOf(RampartException.class).hasMessageContaining("secp256k1").hasMessageContaining("P-256");
    }

    @Test
    void garbageCsrIsAnInvalidRequest() {
        assertThatThrownBy(() -> ca.signCsr("hello"))
                .isInstanceOfSatisfying(RampartException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.INVALID_REQUEST));
        assertThatThrownBy(() -> ca.signCsr(Pem.encodeCertificate(ca.certificate())))
                .isInstanceOf(RampartException.class).hasMessageContaining("expected a CERTIFICATE REQUEST");
    }

    @Test
    void issueUsesTheGivenSubjectAndValidityAndRefusesWeakKeysAndBadNames() throws Exception {
        KeyPair device = TestPki.ecKeyPair("secp384r1");
        X509Certificate cert = ca.issue(device.getPublic(), "CN=provisioned,OU=Line 3", Duration.ofDays(10));
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=provisioned,OU=Line 3");
        assertThat(cert.getNotAfter().toInstant()).isEqualTo(TestPki.NOW.plus(Duration.ofDays(10)));
        assertThat(cert.getNotBefore().toInstant()).isBefore(TestPki.NOW);
        assertThatThrownBy(() -> ca.issue(TestPki.rsaKeyPair(1024).getPublic(), "CN=weak", Duration.ofDays(1)))
                .isInstanceOfSatisfying(RampartException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.CERTIFICATE_VALIDATION));
        assertThatThrownBy(() -> ca.issue(device.getPublic(), "not a name", Duration.ofDays(1)))
                .isInstanceOf(RampartException.class).hasMessageContaining("not a distinguished name");
        assertThatThrownBy(() -> ca.issue(device.getPublic(), "CN=x", Duration.ofDays(-1)))
                .isInstanceOf(RampartException.class).hasMessageContaining("not in the future");
    }

    @Test
    void issuedIsFalseForCertificatesOfAnotherCa() throws Exception {
        CertificateAuthority other = CertificateAuthority.inMemory(KeyAlgorithm.EC_P256, "Rampart Test Root",
                TestPki.fixedClock(), TestPki.RANDOM);
        X509Certificate foreign = other.createKeysAndCertificate(KeyAlgorithm.EC_P256).certificate();
        assertThat(ca.issued(foreign)).as("same issuer name, different key").isFalse();
        assertThat(ca.issued(ca.createKeysAndCertificate(KeyAlgorithm.EC_P256).certificate())).isTrue();
    }

    @Test
    void crlListsRevokedSerialsAndVerifiesWithTheCaKey() throws Exception {
        X509Certificate revoked = ca.createKeysAndCertificate(KeyAlgorithm.EC_P256).certificate();
        X509Certificate good = ca.createKeysAndCertificate(KeyAlgorithm.EC_P256).certificate();
        X509CRL crl = ca.crl(List.of(revoked.getSerialNumber(), BigInteger.valueOf(42)));
        crl.verify(ca.certificate().getPublicKey());
        assertThat(crl.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
        assertThat(crl.isRevoked(revoked)).isTrue();
        assertThat(crl.isRevoked(good)).isFalse();
        assertThat(crl.getRevokedCertificate(BigInteger.valueOf(42))).isNotNull();
        assertThat(crl.getThisUpdate().toInstant()).isEqualTo(TestPki.NOW);
        assertThat(crl.getNextUpdate().toInstant()).isEqualTo(TestPki.NOW.plus(CertificateAuthority.CRL_VALIDITY));
        assertThat(crl.getExtensionValue(Extension.cRLNumber.getId())).isNotNull();
        assertThat(Pem.parseCrl(Pem.encodeCrl(crl))).isEqualTo(crl);
    }

    @Test
    void emptyCrlIsStillSignedAndValid() throws Exception {
        X509CRL crl = ca.crl(List.of());
        crl.verify(ca.certificate().getPublicKey());
        assertThat(crl.getRevokedCertificates()).isNull();
    }

    @Test
    void rsaAndP384CasSignWithMatchingAlgorithms() throws Exception {
        CertificateAuthority p384 = CertificateAuthority.inMemory(KeyAlgorithm.EC_P384, "P384 Root", TestPki.fixedClock(), TestPki.RANDOM);
        assertThat(p384.certificate().getSigAlgName()).isEqualTo("SHA384withECDSA");
        CertificateAuthority rsa = CertificateAuthority.inMemory(KeyAlgorithm.RSA_2048, "RSA Root", TestPki.fixedClock(), TestPki.RANDOM);
        X509Certificate leaf = rsa.signCsr(Pem.encodeCsr(TestPki.csr(TestPki.ecKeyPair("secp256r1"), "CN=d")));
        assertThat(leaf.getSigAlgName()).isEqualTo("SHA256withRSA");
        leaf.verify(rsa.certificate().getPublicKey());
    }

    @Test
    void toStringNeverShowsKeyMaterial() {
        assertThat(ca.toString()).contains("Rampart Test Root").doesNotContain("PRIVATE");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
