package io.rampart.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rampart.common.Page;
import io.rampart.pki.CertificateId;
import io.rampart.pki.Pem;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.iot.model.CertificateDescription;
import software.amazon.awssdk.services.iot.model.CertificateStateException;
import software.amazon.awssdk.services.iot.model.CertificateStatus;
import software.amazon.awssdk.services.iot.model.CreateKeysAndCertificateResponse;
import software.amazon.awssdk.services.iot.model.DeleteConflictException;
import software.amazon.awssdk.services.iot.model.InvalidRequestException;
import software.amazon.awssdk.services.iot.model.IotException;
import software.amazon.awssdk.services.iot.model.ListCertificatesResponse;
import software.amazon.awssdk.services.iot.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;

/** Device certificate operations driven with the AWS SDK's IotClient, success and failure. */
class CertificateRoutesTest {
    @RegisterExtension
    static final ApiTestNode node = new ApiTestNode();

    private static int certificateCount() {
        return node.registry().certificates().list(Page.Request.first(250), true).items().size();
    }

    private static CreateKeysAndCertificateResponse newCertificate(boolean active) {
        return node.admin().createKeysAndCertificate(b -> b.setAsActive(active));
    }

    @Test
    void createKeysAndCertificateReturnsTheKeyOnceAndAnActiveCertificateFromTheBuiltInCa() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        CreateKeysAndCertificateResponse created = newCertificate(true);
        X509Certificate certificate = Pem.parseCertificate(created.certificatePem());
        assertThat(created.certificateId()).isEqualTo(CertificateId.of(certificate).value()).matches("[0-9a-f]{64}");
        assertThat(created.certificateArn()).isEqualTo(ApiTestNode.SCOPE.arn("cert", created.certificateId()));
        assertThat(node.ca().issued(certificate)).isTrue();
        assertThat(Pem.parsePrivateKey(created.keyPair().privateKey())).isNotNull();
        assertThat(Pem.parsePublicKey(created.keyPair().publicKey())).isEqualTo(certificate.getPublicKey());

        CertificateDescription description = node.admin().describeCertificate(b -> b.certificateId(created.certificateId())).certificateDescription();
        assertThat(description.status()).isEqualTo(CertificateStatus.ACTIVE);
        assertThat(description.certificatePem()).isEqualTo(created.certificatePem());
        assertThat(description.creationDate()).isBetween(before, Instant.now().plusSeconds(1));
        assertThat(description.validity().notAfter()).isAfter(Instant.now().plus(Duration.ofDays(365)));
        assertThat(description.certificateModeAsString()).isEqualTo("DEFAULT");
        assertThat(description.toString()).doesNotContain("PRIVATE KEY");
    }

    @Test
    void certificatesAreInactiveUnlessAskedOtherwise() {
        String id = newCertificate(false).certificateId();
        assertThat(node.admin().describeCertificate(b -> b.certificateId(id)).certificateDescription().status()).isEqualTo(CertificateStatus.INACTIVE);
    }

    @Test
    void createCertificateFromCsrKeepsTheDevicesKey() throws Exception {
        KeyPair device = TestCertificates.ec();
        String csr = TestCertificates.csr(device, "CN=sensor-7");
        var created = node.admin().createCertificateFromCsr(b -> b.certificateSigningRequest(csr).setAsActive(true));
        X509Certificate certificate = Pem.parseCertificate(created.certificatePem());
        assertThat(certificate.getPublicKey()).isEqualTo(device.getPublic());
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=sensor-7");
        assertThat(node.ca().issued(certificate)).isTrue();
        assertThat(node.admin().describeCertificate(b -> b.certificateId(created.certificateId())).certificateDescription().status())
                .isEqualTo(CertificateStatus.ACTIVE);
    }

    @Test
    void csrWithAWeakKeyIsRefusedAndNothingIsIssued() throws Exception {
        int before = certificateCount();
        String weak = TestCertificates.csr(TestCertificates.rsa(1024), "CN=weak");
        assertThatThrownBy(() -> node.admin().createCertificateFromCsr(b -> b.certificateSigningRequest(weak)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("1024");
        assertThat(certificateCount()).isEqualTo(before);
    }

    @Test
    void garbagePemIsInvalidRequest() {
        int before = certificateCount();
        assertThatThrownBy(() -> node.admin().createCertificateFromCsr(b -> b.certificateSigningRequest("-----BEGIN CERTIFICATE REQUEST-----\nnope\n")))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> node.admin().registerCertificateWithoutCA(b -> b.certificatePem("hello")))
                .isInstanceOf(IotException.class).satisfies(e -> assertThat(((IotException) e).statusCode()).isEqualTo(400));
        assertThatThrownBy(() -> node.admin().createCertificateFromCsr(b -> b.certificateSigningRequest(null)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("certificateSigningRequest");
        assertThat(certificateCount()).isEqualTo(before);
    }

    @Test
    void statusMovesBetweenActiveAndInactiveAndRevokedIsFinal() {
        String id = newCertificate(false).certificateId();
        node.admin().updateCertificate(b -> b.certificateId(id).newStatus(CertificateStatus.ACTIVE));
        node.admin().updateCertificate(b -> b.certificateId(id).newStatus(CertificateStatus.INACTIVE));
        node.admin().updateCertificate(b -> b.certificateId(id).newStatus(CertificateStatus.REVOKED));
        assertThatThrownBy(() -> node.admin().updateCertificate(b -> b.certificateId(id).newStatus(CertificateStatus.ACTIVE)))
                .isInstanceOf(CertificateStateException.class);
        assertThat(node.admin().describeCertificate(b -> b.certificateId(id)).certificateDescription().status()).isEqualTo(CertificateStatus.REVOKED);
    }

    @Test
    void unknownStatusIsInvalidRequest() {
        String id = newCertificate(false).certificateId();
        assertThatThrownBy(() -> node.admin().updateCertificate(b -> b.certificateId(id).newStatus("SUSPENDED")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("SUSPENDED");
        assertThat(node.admin().describeCertificate(b -> b.certificateId(id)).certificateDescription().status()).isEqualTo(CertificateStatus.INACTIVE);
    }

    @Test
    void unknownCertificateIsResourceNotFoundAndMalformedIdIsInvalidRequest() {
        String unknown = "a".repeat(64);
        assertThatThrownBy(() -> node.admin().describeCertificate(b -> b.certificateId(unknown))).isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> node.admin().updateCertificate(b -> b.certificateId(unknown).newStatus(CertificateStatus.ACTIVE)))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> node.admin().deleteCertificate(b -> b.certificateId(unknown))).isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> node.admin().describeCertificate(b -> b.certificateId("not-an-id"))).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void activeCertificateCannotBeDeleted() {
        String id = newCertificate(true).certificateId();
        assertThatThrownBy(() -> node.admin().deleteCertificate(b -> b.certificateId(id))).isInstanceOf(CertificateStateException.class);
        assertThat(node.admin().describeCertificate(b -> b.certificateId(id)).certificateDescription().status()).isEqualTo(CertificateStatus.ACTIVE);
    }

    @Test
    void inactiveDetachedCertificateIsDeleted() {
        String id = newCertificate(false).certificateId();
        node.admin().deleteCertificate(b -> b.certificateId(id));
        assertThatThrownBy(() -> node.admin().describeCertificate(b -> b.certificateId(id))).isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void certificateAttachedToAThingCannotBeDeletedEvenForced() {
        var created = newCertificate(false);
        node.registry().things().create("thing-with-cert", null, java.util.Map.of());
        node.registry().attachments().attachThingPrincipal("thing-with-cert", created.certificateArn());
        assertThatThrownBy(() -> node.admin().deleteCertificate(b -> b.certificateId(created.certificateId()).forceDelete(true)))
                .isInstanceOf(DeleteConflictException.class);
        assertThat(node.admin().describeCertificate(b -> b.certificateId(created.certificateId()))).isNotNull();
    }

    @Test
    void certificateWithAPolicyNeedsForceDelete() {
        var created = newCertificate(false);
        node.registry().policies().create("cert-policy", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iot:Connect\",\"Resource\":\"*\"}]}");
        node.registry().attachments().attachPolicy("cert-policy", created.certificateArn());
        assertThatThrownBy(() -> node.admin().deleteCertificate(b -> b.certificateId(created.certificateId())))
                .isInstanceOf(DeleteConflictException.class);
        node.admin().deleteCertificate(b -> b.certificateId(created.certificateId()).forceDelete(true));
        assertThatThrownBy(() -> node.admin().describeCertificate(b -> b.certificateId(created.certificateId())))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void listCertificatesPagesWithPageSizeAndMarker() {
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            created.add(newCertificate(false).certificateId());
        }
        List<String> listed = new ArrayList<>();
        String marker = null;
        do {
            String current = marker;
            ListCertificatesResponse page = node.admin().listCertificates(b -> b.pageSize(2).marker(current).ascendingOrder(true));
            assertThat(page.certificates()).hasSizeLessThanOrEqualTo(2);
            page.certificates().forEach(c -> {
                assertThat(c.certificateArn()).endsWith(c.certificateId());
                assertThat(c.creationDate()).isNotNull();
                listed.add(c.certificateId());
            });
            marker = page.nextMarker();
        } while (marker != null);
        assertThat(listed).containsAll(created).doesNotHaveDuplicates();
        assertThatThrownBy(() -> node.admin().listCertificates(b -> b.pageSize(251))).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void registerWithoutCaStoresAnSniOnlyCertificate() throws Exception {
        KeyPair keys = TestCertificates.ec();
        String pem = TestCertificates.pem(TestCertificates.certificate("CN=byo", keys.getPublic(), "CN=byo", keys.getPrivate(), false));
        var registered = node.admin().registerCertificateWithoutCA(b -> b.certificatePem(pem).status(CertificateStatus.ACTIVE));
        CertificateDescription description = node.admin().describeCertificate(b -> b.certificateId(registered.certificateId())).certificateDescription();
        assertThat(description.certificateModeAsString()).isEqualTo("SNI_ONLY");
        assertThat(description.status()).isEqualTo(CertificateStatus.ACTIVE);
        assertThat(description.caCertificateId()).isNull();
        assertThatThrownBy(() -> node.admin().registerCertificateWithoutCA(b -> b.certificatePem(pem)))
                .isInstanceOf(ResourceAlreadyExistsException.class);
    }

    @Test
    void readOnlyKeyMayListButNotIssue() {
        int before = certificateCount();
        assertThatThrownBy(() -> node.readOnly().createKeysAndCertificate(b -> b.setAsActive(true)))
                .isInstanceOfSatisfying(IotException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                });
        assertThat(certificateCount()).isEqualTo(before);
        assertThat(node.readOnly().listCertificates(b -> b.pageSize(10)).certificates()).isNotNull();
    }
}
