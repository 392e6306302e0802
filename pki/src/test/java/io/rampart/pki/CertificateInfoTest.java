package io.rampart.pki;

import org.junit.jupiter.api.Test;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CertificateInfoTest {

    @Test
    void describesSubjectIssuerValidityKeyAndNamesInAwsTerms() throws Exception {
        CertificateAuthority ca = CertificateAuthority.inMemory(KeyAlgorithm.EC_P256, "Info Root", TestPki.fixedClock(), TestPki.RANDOM);
        var keys = TestPki.ecKeyPair("secp384r1");
        X509Certificate cert = ca.signCsr(Pem.encodeCsr(TestPki.csr(keys,
                "CN=thing-7,OU=Line 1,OU=Line 2,O=Acme,ST=Bavaria,C=DE,SERIALNUMBER=SN-9", "thing-7.local")),
                TestPki.NOW.plus(Duration.ofDays(90)));
        CertificateInfo info = CertificateInfo.of(cert);
        assertThat(info.id()).isEqualTo(CertificateId.of(cert));
        assertThat(info.subject()).isEqualTo("CN=thing-7,OU=Line 1,OU=Line 2,O=Acme,ST=Bavaria,C=DE,SERIALNUMBER=SN-9");
        assertThat(info.issuer()).isEqualTo("CN=Info Root");
        assertThat(info.serialNumber()).isEqualTo(cert.getSerialNumber());
        assertThat(info.notAfter()).isEqualTo(TestPki.NOW.plus(Duration.ofDays(90)));
        assertThat(info.isValidAt(TestPki.NOW)).isTrue();
        assertThat(info.isValidAt(TestPki.NOW.plus(Duration.ofDays(91)))).isFalse();
        assertThat(info.keyAlgorithm()).isEqualTo("EC");
        assertThat(info.keySize()).isEqualTo(384);
        assertThat(info.keyDescription()).isEqualTo("EC P-384");
        assertThat(info.signatureAlgorithm()).isEqualTo("SHA256withECDSA");
        assertThat(info.ca()).isFalse();
        assertThat(info.subjectFields()).containsEntry("CommonName", List.of("thing-7"))
                .containsEntry("OrganizationalUnit", List.of("Line 2", "Line 1"))
                .containsEntry("Organization", List.of("Acme")).containsEntry("State", List.of("Bavaria"))
                .containsEntry("Country", List.of("DE")).containsEntry("SerialNumber", List.of("SN-9"));
        assertThat(info.issuerFields()).containsExactlyEntriesOf(java.util.Map.of("CommonName", List.of("Info Root")));
        assertThat(info.subjectAlternativeNames()).containsExactlyEntriesOf(java.util.Map.of("DNSName", List.of("thing-7.local")));
        assertThat(CertificateInfo.of(ca.certificate()).ca()).isTrue();
    }
}
