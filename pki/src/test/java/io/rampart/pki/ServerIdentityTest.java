package io.rampart.pki;

import io.rampart.common.RampartException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerIdentityTest {
    private static final char[] SECRET = "server identity secret".toCharArray();

    @Test
    void serverCertificateCarriesRequestedNamesAndServerAuth() throws Exception {
        CertificateAuthority ca = CertificateAuthority.inMemory(KeyAlgorithm.EC_P256, "Root", TestPki.fixedClock(), TestPki.RANDOM);
        ServerIdentity identity = ca.issueServerCertificate(List.of("rampart.example.com", "localhost"),
                List.of("127.0.0.1", "::1"), KeyAlgorithm.EC_P256);
        X509Certificate leaf = identity.certificate();
        leaf.verify(ca.certificate().getPublicKey());
        assertThat(identity.chain()).containsExactly(leaf, ca.certificate());
        assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=rampart.example.com");
        assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        var sans = CertificateInfo.of(leaf).subjectAlternativeNames();
        assertThat(sans.get("DNSName")).containsExactly("rampart.example.com", "localhost");
        assertThat(sans.get("IPAddress")).containsExactly("127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(Duration.between(TestPki.NOW, leaf.getNotAfter().toInstant())).isEqualTo(CertificateAuthority.SERVER_VALIDITY);
        assertThat(identity.toString()).doesNotContain("PRIVATE");
    }

    @Test
    void malformedOrMissingNamesAreRefused() {
        CertificateAuthority ca = CertificateAuthority.inMemory(KeyAlgorithm.EC_P256, "Root", TestPki.fixedClock(), TestPki.RANDOM);
        assertThatThrownBy(() -> ca.issueServerCertificate(List.of(), List.of(), KeyAlgorithm.EC_P256))
                .isInstanceOf(RampartException.class).hasMessageContaining("at least one DNS name or IP");
        assertThatThrownBy(() -> ca.issueServerCertificate(List.of("bad name"), List.of(), KeyAlgorithm.EC_P256))
                .isInstanceOf(RampartException.class).hasMessageContaining("'bad name' is not a valid DNS name");
        assertThatThrownBy(() -> ca.issueServerCertificate(List.of(), List.of("300.1.1.1"), KeyAlgorithm.EC_P256))
                .isInstanceOf(RampartException.class).hasMessageContaining("not an IPv4 or IPv6 address");
        assertThatThrownBy(() -> ca.openOrCreateServerIdentity(Path.of("unused"), List.of("localhost"), List.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("in-memory");
    }

    @Test
    void storedIdentityIsReusedUntilNamesChangeOrExpiryNears(@TempDir Path dir) throws Exception {
        var clock = new TestPki.MovableClock(TestPki.NOW);
        CertificateAuthority ca = CertificateAuthority.openOrCreate(dir, SECRET, KeyAlgorithm.EC_P256, "Root", clock, TestPki.RANDOM);

        ServerIdentity first = ca.openOrCreateServerIdentity(dir, List.of("localhost"), List.of("127.0.0.1"));
        Path keyFile = dir.resolve(CertificateAuthority.SERVER_KEY_FILE);
        assertThat(Files.readString(keyFile)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(Pem.parseCertificates(Files.readString(dir.resolve(CertificateAuthority.SERVER_CERTIFICATE_FILE))))
                .containsExactly(first.certificate(), ca.certificate());

        ServerIdentity again = ca.openOrCreateServerIdentity(dir, List.of("LOCALHOST"), List.of("127.0.0.1"));
        assertThat(again.certificate()).isEqualTo(first.certificate());
        assertThat(again.privateKey()).isEqualTo(first.privateKey());

        ServerIdentity renamed = ca.openOrCreateServerIdentity(dir, List.of("localhost", "node-2"), List.of("127.0.0.1"));
        assertThat(renamed.certificate()).isNotEqualTo(first.certificate());
        assertThat(CertificateInfo.of(renamed.certificate()).subjectAlternativeNames().get("DNSName"))
                .containsExactly("localhost", "node-2");

        clock.advance(CertificateAuthority.SERVER_VALIDITY.minus(CertificateAuthority.SERVER_RENEWAL_MARGIN).plusDays(1));
        ServerIdentity renewed = ca.openOrCreateServerIdentity(dir, List.of("localhost", "node-2"), List.of("127.0.0.1"));
        assertThat(renewed.certificate()).isNotEqualTo(renamed.certificate());
        assertThat(renewed.certificate().getNotAfter().toInstant()).isEqualTo(clock.instant().plus(CertificateAuthority.SERVER_VALIDITY));
    }

    @Test
    void identityIssuedByAnotherCaIsReplaced(@TempDir Path dir) {
        CertificateAuthority first = CertificateAuthority.openOrCreate(dir.resolve("a"), SECRET, KeyAlgorithm.EC_P256, "A",
                TestPki.fixedClock(), TestPki.RANDOM);
        CertificateAuthority second = CertificateAuthority.openOrCreate(dir.resolve("b"), SECRET, KeyAlgorithm.EC_P256, "B",
                TestPki.fixedClock(), TestPki.RANDOM);
        Path serverDir = dir.resolve("server");
        ServerIdentity fromFirst = first.openOrCreateServerIdentity(serverDir, List.of("localhost"), List.of());
        ServerIdentity fromSecond = second.openOrCreateServerIdentity(serverDir, List.of("localhost"), List.of());
        assertThat(second.issued(fromSecond.certificate())).isTrue();
        assertThat(fromSecond.certificate()).isNotEqualTo(fromFirst.certificate());
    }
}
