package io.rampart.pki;

import io.rampart.common.ErrorType;
import io.rampart.common.RampartException;
import io.rampart.pki.internal.BouncyCastle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.security.KeyPairGenerator;
import java.security.PublicKey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyQualityTest {

    @ParameterizedTest
    @CsvSource({"secp256r1, EC P-256", "secp384r1, EC P-384", "secp521r1, EC P-521"})
    void nistCurvesAwsAcceptsAreAccepted(String curve, String description) throws Exception {
        PublicKey key = TestPki.ecKeyPair(curve).getPublic();
        KeyQuality.requireAcceptable(key);
        assertThat(KeyQuality.isAcceptable(key)).isTrue();
        assertThat(KeyQuality.describe(key)).isEqualTo(description);
    }

    @ParameterizedTest
    @CsvSource({"secp256k1, EC secp256k1", "brainpoolP256r1, EC brainpoolP256r1", "secp224r1, EC P-224"})
    void otherCurvesAreRejectedNamingTheCurve(String curve, String description) throws Exception {
        PublicKey key = TestPki.ecKeyPair(curve).getPublic();
        assertThat(KeyQuality.isAcceptable(key)).isFalse();
        assertThatThrownBy(() -> KeyQuality.requireAcceptable(key))
                .isInstanceOfSatisfying(RampartException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.CERTIFICATE_VALIDATION))
                .hasMessage("the key is " + description + "; accepted: RSA of at least 2048 bits, or EC on NIST P-256, P-384 or P-521");
    }

    @Test
    void rsaBelow2048IsRejectedAnd2048Accepted() throws Exception {
        PublicKey weak = TestPki.rsaKeyPair(1024).getPublic();
        assertThatThrownBy(() -> KeyQuality.requireAcceptable(weak))
                .isInstanceOf(RampartException.class).hasMessageContaining("the key is RSA 1024");
        PublicKey strong = TestPki.rsaKeyPair(2048).getPublic();
        KeyQuality.requireAcceptable(strong);
        assertThat(KeyQuality.describe(strong)).isEqualTo("RSA 2048");
    }

    @Test
    void nonRsaNonEcKeysAreRejected() throws Exception {
        PublicKey ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic();
        assertThatThrownBy(() -> KeyQuality.requireAcceptable(ed25519))
                .isInstanceOf(RampartException.class).hasMessageContaining("the key is Ed25519");
        KeyPairGenerator dsa = KeyPairGenerator.getInstance("DSA", BouncyCastle.PROVIDER);
        dsa.initialize(1024);
        PublicKey dsaKey = dsa.generateKeyPair().getPublic();
        assertThat(KeyQuality.describe(dsaKey)).isEqualTo("DSA");
        assertThat(KeyQuality.isAcceptable(dsaKey)).isFalse();
    }
}
