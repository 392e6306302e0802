package io.rampart.pki;

import io.rampart.common.RampartException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.security.KeyPair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyAlgorithmTest {

    @ParameterizedTest
    @CsvSource({"EC_P256, EC_P256", "ec-p256, EC_P256", " Ec_P384 , EC_P384", "rsa-2048, RSA_2048", "RSA_3072, RSA_3072",
            "rsa-4096, RSA_4096", "EC_prime256v1, EC_P256", "EC_secp384r1, EC_P384", "p256, EC_P256"})
    void parsesOperatorSpellings(String name, KeyAlgorithm expected) {
        assertThat(KeyAlgorithm.parse(name)).isEqualTo(expected);
    }

    @Test
    void unknownNamesFailListingTheAcceptedOnes() {
        assertThatThrownBy(() -> KeyAlgorithm.parse("dsa-1024")).isInstanceOf(RampartException.class)
                .hasMessage("unknown key algorithm 'dsa-1024'; accepted: EC_P256, EC_P384, RSA_2048, RSA_3072, RSA_4096");
        assertThatThrownBy(() -> KeyAlgorithm.parse(" ")).isInstanceOf(RampartException.class).hasMessageContaining("missing");
    }

    @Test
    void generatesKeysOfTheNamedTypeAndStrength() {
        assertThat(KeyAlgorithm.DEFAULT).isEqualTo(KeyAlgorithm.EC_P256);
        for (KeyAlgorithm algorithm : new KeyAlgorithm[]{KeyAlgorithm.EC_P256, KeyAlgorithm.EC_P384, KeyAlgorithm.RSA_2048}) {
            KeyPair pair = algorithm.generate(TestPki.RANDOM);
            assertThat(pair.getPublic().getAlgorithm()).isEqualTo(algorithm.jcaName());
            assertThat(KeyQuality.describe(pair.getPublic())).endsWith(String.valueOf(algorithm.bits()))
                    .contains(algorithm.jcaName());
            KeyQuality.requireAcceptable(pair.getPublic());
        }
    }
}
