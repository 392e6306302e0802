package io.rampart.pki;

import io.rampart.common.ErrorType;
import io.rampart.common.RampartException;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.cert.X509Certificate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CertificateChainsTest {

    @Test
    void signedByNeedsMatchingIssuerNameAndSignature() throws Exception {
        KeyPair root = TestPki.ecKeyPair("secp256r1");
        X509Certificate ca = TestPki.selfSignedCa("CN=Root", root);
        KeyPair leafKeys = TestPki.ecKeyPair("secp256r1");
        X509Certificate leaf = TestPki.certificate("CN=leaf", leafKeys.getPublic(), "CN=Root", root.getPrivate(), false);
        X509Certificate wrongName = TestPki.certificate("CN=leaf", leafKeys.getPublic(), "CN=Other", root.getPrivate(), false);
        X509Certificate wrongKey = TestPki.certificate("CN=leaf", leafKeys.getPublic(), "CN=Root", leafKeys.getPrivate(), false);
        assertThat(CertificateChains.isSignedBy(leaf, ca)).isTrue();
        assertThat(CertificateChains.isSignedBy(wrongName, ca)).isFalse();
        assertThat(CertificateChains.signatureVerifies(wrongName, ca)).isTrue();
        assertThat(CertificateChains.isSignedBy(wrongKey, ca)).isFalse();
        assertThat(CertificateChains.isSignedBy(ca, ca)).as("self-signed").isTrue();
    }

    @Test
    void requireCaAcceptsCasAndRejectsLeaves() throws Exception {
        KeyPair root = TestPki.ecKeyPair("secp256r1");
        CertificateChains.requireCa(TestPki.selfSignedCa("CN=Root", root));
        X509Certificate leaf = TestPki.certificate("CN=leaf", root.getPublic(), "CN=Root", root.getPrivate(), false);
        assertThatThrownBy(() -> CertificateChains.requireCa(leaf))
                .isInstanceOfSatisfying(RampartException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.CERTIFICATE_VALIDATION))
                .hasMessageContaining("'CN=leaf' is not a CA certificate");
        CertificateAuthority rampart = CertificateAuthority.inMemory(KeyAlgorithm.EC_P256, "R", TestPki.fixedClock(), TestPki.RANDOM);
        CertificateChains.requireCa(rampart.certificate());
        assertThatThrownBy(() -> CertificateChains.requireCa(rampart.createKeysAndCertificate(KeyAlgorithm.EC_P256).certificate()))
                .isInstanceOf(RampartException.class);
    }

    @Test
    void requireValidAtNamesExpiryAndNotYetValid() throws Exception {
        KeyPair root = TestPki.ecKeyPair("secp256r1");
        X509Certificate cert = TestPki.certificate("CN=dated", root.getPublic(), "CN=Root", root.getPrivate(), false);
        CertificateChains.requireValidAt(cert, TestPki.NOW);
        assertThatThrownBy(() -> CertificateChains.requireValidAt(cert, TestPki.NOW.plus(java.time.Duration.ofDays(400))))
                .isInstanceOfSatisfying(RampartException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.CERTIFICATE_VALIDATION))
                .hasMessageContaining("'CN=dated' expired on");
        assertThatThrownBy(() -> CertificateChains.requireValidAt(cert, TestPki.NOW.minus(java.time.Duration.ofDays(2))))
                .isInstanceOf(RampartException.class).hasMessageContaining("is not valid before");
    }
}
