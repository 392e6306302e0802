package io.rampart.pki;

import io.rampart.common.ErrorType;
import io.rampart.common.RampartException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.cert.X509Certificate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The RegisterCACertificate proof of possession, with a customer CA made independently by BouncyCastle. */
class RegistrationCodesTest {
    static KeyPair caKeys;
    static X509Certificate customerCa;
    static String code;

    @BeforeAll
    static void customerCa() throws Exception {
        caKeys = TestPki.ecKeyPair("secp256r1");
        customerCa = TestPki.selfSignedCa("CN=Customer Root,O=Acme", caKeys);
        code = RegistrationCodes.generate(TestPki.RANDOM);
    }

    @Test
    void codesAre64LowerCaseHexAndDistinct() {
        assertThat(code).matches("[0-9a-f]{64}");
        assertThat(RegistrationCodes.generate(TestPki.RANDOM)).isNotEqualTo(code);
    }

    @Test
    void verificationCertificateWithTheCodeSignedByTheCaKeyIsAccepted() throws Exception {
        KeyPair verificationKeys = TestPki.ecKeyPair("secp256r1");
        X509Certificate verification = TestPki.certificate("CN=" + code, verificationKeys.getPublic(),
                "CN=Customer Root,O=Acme", caKeys.getPrivate(), false);
        RegistrationCodes.verify(customerCa, verification, code);
    }

    @Test
    void wrongCommonNameIsRejected() throws Exception {
        X509Certificate verification = TestPki.certificate("CN=" + RegistrationCodes.generate(TestPki.RANDOM),
                TestPki.ecKeyPair("secp256r1").getPublic(), "CN=Customer Root,O=Acme", caKeys.getPrivate(), false);
        assertThatThrownBy(() -> RegistrationCodes.verify(customerCa, verification, code))
                .isInstanceOfSatisfying(RampartException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.REGISTRATION_CODE_VALIDATION))
                .hasMessageContaining("subject CN is not this account's registration code");
    }

    @Test
    void verificationCertificateSignedByAnotherKeyIsRejected() throws Exception {
        KeyPair impostor = TestPki.ecKeyPair("secp256r1");
        // Same issuer name as the CA, but signed with a key the registrant does not prove to hold.
        X509Certificate verification = TestPki.certificate("CN=" + code, impostor.getPublic(),
                "CN=Customer Root,O=Acme", impostor.getPrivate(), false);
        assertThatThrownBy(() -> RegistrationCodes.verify(customerCa, verification, code))
                .isInstanceOfSatisfying(RampartException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.REGISTRATION_CODE_VALIDATION))
                .hasMessageContaining("not signed by the private key of the CA certificate");
    }

    @Test
    void verificationCertificateWithoutCommonNameOrMissingCodeIsRejected() throws Exception {
        X509Certificate noCn = TestPki.certificate("O=Acme", TestPki.ecKeyPair("secp256r1").getPublic(),
                "CN=Customer Root,O=Acme", caKeys.getPrivate(), false);
        assertThatThrownBy(() -> RegistrationCodes.verify(customerCa, noCn, code))
                .isInstanceOf(RampartException.class).hasMessageContaining("no subject CN");
        assertThatThrownBy(() -> RegistrationCodes.verify(customerCa, noCn, null))
                .isInstanceOf(RampartException.class).hasMessageContaining("GetRegistrationCode");
    }
}
