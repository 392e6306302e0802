package io.rampart.pki;

import io.rampart.common.ErrorType;
import io.rampart.common.RampartException;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.StringWriter;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PemTest {
    static CertificateAuthority ca;
    static IssuedCredentials device;

    @BeforeAll
    static void pki() {
        ca = CertificateAuthority.inMemory(KeyAlgorithm.EC_P256, "PEM Root", TestPki.fixedClock(), TestPki.RANDOM);
        device = ca.createKeysAndCertificate(KeyAlgorithm.EC_P256);
    }

    @Test
    void certificateAndChainRoundTrip() {
        String pem = Pem.encodeCertificate(device.certificate());
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
        assertThat(Pem.parseCertificate(pem)).isEqualTo(device.certificate());
        String chain = Pem.encodeCertificates(List.of(device.certificate(), ca.certificate()));
        assertThat(Pem.parseCertificates("leading text is ignored, as OpenSSL does\n" + chain))
                .containsExactly(device.certificate(), ca.certificate());
    }

    @Test
    void singleCertificateParsingRefusesAChain() {
        String chain = Pem.encodeCertificates(List.of(device.certificate(), ca.certificate()));
        assertThatThrownBy(() -> Pem.parseCertificate(chain))
                .isInstanceOfSatisfying(RampartException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.CERTIFICATE_VALIDATION))
                .hasMessageContaining("exactly one certificate").hasMessageContaining("found 2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "not a certificate", "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
            "-----BEGIN CERTIFICATE-----\nMIIBkTCB+wIJAKHBfpegPjMCMA0GCSqGSIb3DQEBCwUAMBExDzANBgNVBAMMBnVu\n-----END CERTIFICATE-----\n"})
    void garbageCertificateIsACertificateValidationError(String garbage) {
        assertThatThrownBy(() -> Pem.parseCertificate(garbage))
                .isInstanceOfSatisfying(RampartException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.CERTIFICATE_VALIDATION))
                .hasMessageContaining("certificate");
    }

    @Test
    void nullAndOversizedInputAreRefused() {
        assertThatThrownBy(() -> Pem.parseCertificate(null)).isInstanceOf(RampartException.class).hasMessageContaining("missing");
        String huge = "x".repeat(Pem.MAX_PEM_CHARS + 1);
        assertThatThrownBy(() -> Pem.parseCertificate(huge)).isInstanceOf(RampartException.class)
                .hasMessageContaining("more than the limit of 65536");
    }

    @Test
    void aKeyWhereACertificateIsExpectedIsNamed() {
        assertThatThrownBy(() -> Pem.parseCertificate(device.privateKeyPem()))
                .isInstanceOf(RampartException.class).hasMessageContaining("is a PRIVATE KEY, expected a CERTIFICATE");
    }

    @Test
    void privateKeyParsesFromPkcs8Pkcs1AndSec1() throws Exception {
        KeyPair rsa = TestPki.rsaKeyPair(2048);
        KeyPair ec = TestPki.ecKeyPair("secp256r1");
        assertThat(Pem.parsePrivateKey(Pem.encodePrivateKey(rsa.getPrivate())).getEncoded()).isEqualTo(rsa.getPrivate().getEncoded());
        String pkcs1 = traditional(rsa.getPrivate());
        assertThat(pkcs1).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(Pem.parsePrivateKey(pkcs1).getEncoded()).isEqualTo(rsa.getPrivate().getEncoded());
        String sec1 = traditional(ec.getPrivate());
        assertThat(sec1).startsWith("-----BEGIN EC PRIVATE KEY-----");
        PrivateKey parsed = Pem.parsePrivateKey(sec1);
        assertThat(parsed.getAlgorithm()).isEqualTo("EC");
        assertThat(((java.security.interfaces.ECPrivateKey) parsed).getS())
                .isEqualTo(((java.security.interfaces.ECPrivateKey) ec.getPrivate()).getS());
    }

    @Test
    void garbageOrEncryptedPrivateKeyIsAnInvalidRequest() {
        assertThatThrownBy(() -> Pem.parsePrivateKey("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"))
                .isInstanceOfSatisfying(RampartException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.INVALID_REQUEST));
        String encrypted = Pem.encodeEncryptedPrivateKey(device.keyPair().getPrivate(), "s3cret".toCharArray(), TestPki.RANDOM);
        assertThatThrownBy(() -> Pem.parsePrivateKey(encrypted))
                .isInstanceOf(RampartException.class).hasMessageContaining("encrypted");
        assertThatThrownBy(() -> Pem.parsePrivateKey(device.certificatePem()))
                .isInstanceOf(RampartException.class).hasMessageContaining("expected a PRIVATE KEY");
    }

    @Test
    void encryptedPrivateKeyRoundTripsOnlyWithTheRightSecret() {
        char[] secret = "s3cret".toCharArray();
        String encrypted = Pem.encodeEncryptedPrivateKey(device.keyPair().getPrivate(), secret, TestPki.RANDOM);
        assertThat(encrypted).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThat(Pem.parseEncryptedPrivateKey(encrypted, secret)).isEqualTo(device.keyPair().getPrivate());
        assertThatThrownBy(() -> Pem.parseEncryptedPrivateKey(encrypted, "wrong".toCharArray()))
                .isInstanceOfSatisfying(RampartException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.INVALID_REQUEST))
                .hasMessageContaining("secret is wrong");
        assertThatThrownBy(() -> Pem.parseEncryptedPrivateKey(device.privateKeyPem(), secret))
                .isInstanceOf(RampartException.class).hasMessageContaining("expected an ENCRYPTED PRIVATE KEY");
        assertThatThrownBy(() -> Pem.encodeEncryptedPrivateKey(device.keyPair().getPrivate(), new char[0], TestPki.RANDOM))
                .isInstanceOf(RampartException.class).hasMessageContaining("secret is empty");
    }

    @Test
    void publicKeyCrlAndCsrRoundTrip() throws Exception {
        assertThat(Pem.parsePublicKey(device.publicKeyPem())).isEqualTo(device.keyPair().getPublic());
        var crl = ca.crl(List.of(device.certificate().getSerialNumber()));
        assertThat(Pem.parseCrl(Pem.encodeCrl(crl)).isRevoked(device.certificate())).isTrue();
        var csr = TestPki.csr(TestPki.ecKeyPair("secp256r1"), "CN=x");
        assertThat(Pem.parseCsr(Pem.encodeCsr(csr))).isEqualTo(csr);
    }

    @Test
    void wrongBlockTypesAreNamed() {
        assertThatThrownBy(() -> Pem.parsePublicKey(device.certificatePem()))
                .isInstanceOf(RampartException.class).hasMessageContaining("is a CERTIFICATE, expected a PUBLIC KEY");
        assertThatThrownBy(() -> Pem.parseCrl(device.certificatePem()))
                .isInstanceOf(RampartException.class).hasMessageContaining("expected an X509 CRL");
        assertThatThrownBy(() -> Pem.parseCsr("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n"))
                .isInstanceOfSatisfying(RampartException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.INVALID_REQUEST));
    }

    @Test
    void aCertificateOnACurveTheJdkLacksStillParsesSoKeyQualityCanNameIt() throws Exception {
        KeyPair k1 = TestPki.ecKeyPair("secp256k1");
        X509Certificate cert = TestPki.selfSignedCa("CN=k1", k1);
        X509Certificate parsed = Pem.parseCertificate(Pem.encodeCertificate(cert));
        assertThatThrownBy(() -> KeyQuality.requireAcceptable(parsed.getPublicKey()))
                .isInstanceOf(RampartException.class).hasMessageContaining("EC secp256k1");
    }

    private static String traditional(PrivateKey key) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(key);
        }
        return out.toString();
    }
}
