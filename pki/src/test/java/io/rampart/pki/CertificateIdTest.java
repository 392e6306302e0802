package io.rampart.pki;

import io.rampart.common.ErrorType;
import io.rampart.common.RampartException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CertificateIdTest {

    @Test
    void idIsLowerCaseHexSha256OfTheDer() throws Exception {
        CertificateAuthority ca = CertificateAuthority.inMemory(KeyAlgorithm.EC_P256, "Id Root", TestPki.fixedClock(), TestPki.RANDOM);
        var cert = ca.createKeysAndCertificate(KeyAlgorithm.EC_P256).certificate();
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        assertThat(CertificateId.of(cert).value()).isEqualTo(expected).hasSize(64).isLowerCase();
    }

    @Test
    void knownVector() {
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        assertThat(CertificateId.ofDer("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).value())
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void upperCaseInputIsNormalized() {
        String upper = "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD";
        assertThat(new CertificateId(upper)).isEqualTo(new CertificateId(upper.toLowerCase(Locale.ROOT)));
        assertThat(new CertificateId(upper).toString()).isEqualTo(upper.toLowerCase(Locale.ROOT));
    }

    @Test
    void malformedIdsAreInvalidRequests() {
        assertThatThrownBy(() -> new CertificateId("abc"))
                .isInstanceOfSatisfying(RampartException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.INVALID_REQUEST))
                .hasMessageContaining("64 hex characters").hasMessageContaining("(3 characters)");
        assertThatThrownBy(() -> new CertificateId("g".repeat(64))).isInstanceOf(RampartException.class);
        assertThatThrownBy(() -> new CertificateId(null)).isInstanceOf(RampartException.class).hasMessageContaining("missing");
        assertThat(CertificateId.isValid("0".repeat(64))).isTrue();
        assertThat(CertificateId.isValid("０".repeat(64))).as("full-width digits are not hex").isFalse();
    }

    @Property(tries = 200)
    void everySixtyFourHexStringIsAnIdInLowerCase(
            @ForAll @StringLength(64) @CharRange(from = '0', to = '9') @CharRange(from = 'a', to = 'f')
            @CharRange(from = 'A', to = 'F') String hex) {
        assertThat(new CertificateId(hex).value()).isEqualTo(hex.toLowerCase(Locale.ROOT));
    }

    @Property(tries = 200)
    void stringsWithANonHexCharacterAreRejected(@ForAll @StringLength(63) @Chars({'0', 'a'}) String prefix,
                                                 @ForAll @CharRange(from = 'g', to = 'z') char bad) {
        assertThat(CertificateId.isValid(prefix + bad)).isFalse();
    }
}
