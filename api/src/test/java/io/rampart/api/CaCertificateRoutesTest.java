package io.rampart.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rampart.common.Page;
import io.rampart.pki.CertificateId;
import io.rampart.pki.Pem;
import java.math.BigInteger;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.iot.model.AutoRegistrationStatus;
import software.amazon.awssdk.services.iot.model.CACertificateDescription;
import software.amazon.awssdk.services.iot.model.CACertificateStatus;
import software.amazon.awssdk.services.iot.model.CertificateStateException;
import software.amazon.awssdk.services.iot.model.CertificateStatus;
import software.amazon.awssdk.services.iot.model.CertificateValidationException;
import software.amazon.awssdk.services.iot.model.InvalidRequestException;
import software.amazon.awssdk.services.iot.model.IotException;
import software.amazon.awssdk.services.iot.model.RegistrationCodeValidationException;
import software.amazon.awssdk.services.iot.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;

/** Bring-your-own-CA flows and the built-in CA's CRL, driven with the AWS SDK's IotClient. */
class CaCertificateRoutesTest {
    @RegisterExtension
    static final ApiTestNode node = new ApiTestNode();

    private static int caCount() {
        return node.registry().caCertificates().list(Page.Request.first(250), true).items().size();
    }

    /** What the AWS IoT developer guide has an operator do: get the code, prove possession of the CA key, register. */
    private static String registerCa(TestCertificates.OwnCa ca, boolean active) throws Exception {
        String code = node.admin().getRegistrationCode(b -> { }).registrationCode();
        String verification = ca.issue("CN=" + code);
        return node.admin().registerCACertificate(b -> b.caCertificate(ca.pem()).verificationCertificate(verification)
                .setAsActive(active)).certificateId();
    }

    @Test
    void registrationCodeIsStableHex() {
        String code = node.admin().getRegistrationCode(b -> { }).registrationCode();
        assertThat(code).matches("[0-9a-f]{64}");
        assertThat(node.readOnly().getRegistrationCode(b -> { }).registrationCode()).isEqualTo(code);
    }

    @Test
    void deletedRegistrationCodeNoLongerRegistersACaAndIsReplacedByANewOne() throws Exception {
        TestCertificates.OwnCa ca = TestCertificates.OwnCa.create("Rotated CA");
        String oldCode = node.admin().getRegistrationCode(b -> { }).registrationCode();
        String staleVerification = ca.issue("CN=" + oldCode);

        node.admin().deleteRegistrationCode(b -> { });
        assertThatThrownBy(() -> node.admin().deleteRegistrationCode(b -> { }))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> node.readOnly().deleteRegistrationCode(b -> { }))
                .isInstanceOfSatisfying(IotException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));

        String newCode = node.admin().getRegistrationCode(b -> { }).registrationCode();
        assertThat(newCode).matches("[0-9a-f]{64}").isNotEqualTo(oldCode);
        int before = caCount();
        assertThatThrownBy(() -> node.admin().registerCACertificate(b -> b.caCertificate(ca.pem()).verificationCertificate(staleVerification)))
                .isInstanceOf(RegistrationCodeValidationException.class);
        assertThat(caCount()).isEqualTo(before);
    }

    @Test
    void registeredCaSignsDeviceCertificatesThatRegisterUnderIt() throws Exception {
        TestCertificates.OwnCa ca = TestCertificates.OwnCa.create("Fleet CA 1");
        String caId = registerCa(ca, true);
        assertThat(caId).isEqualTo(CertificateId.of(ca.certificate()).value());

        CACertificateDescription description = node.admin().describeCACertificate(b -> b.certificateId(caId)).certificateDescription();
        assertThat(description.status()).isEqualTo(CACertificateStatus.ACTIVE);
        assertThat(description.autoRegistrationStatus()).isEqualTo(AutoRegistrationStatus.DISABLE);
        assertThat(description.certificateArn()).isEqualTo(ApiTestNode.SCOPE.arn("cacert", caId));
        assertThat(description.validity().notAfter()).isAfter(description.validity().notBefore());

        String devicePem = ca.issue("CN=device-1");
        var device = node.admin().registerCertificate(b -> b.certificatePem(devicePem).caCertificatePem(ca.pem()).setAsActive(true));
        var deviceDescription = node.admin().describeCertificate(b -> b.certificateId(device.certificateId())).certificateDescription();
        assertThat(deviceDescription.caCertificateId()).isEqualTo(caId);
        assertThat(deviceDescription.status()).isEqualTo(CertificateStatus.ACTIVE);
        assertThat(node.admin().listCertificatesByCA(b -> b.caCertificateId(caId)).certificates())
                .extracting(c -> c.certificateId()).containsExactly(device.certificateId());
        assertThatThrownBy(() -> node.admin().registerCertificate(b -> b.certificatePem(devicePem).caCertificatePem(ca.pem())))
                .isInstanceOf(ResourceAlreadyExistsException.class);
    }

    @Test
    void wrongRegistrationCodeIsRefusedAndNothingIsRegistered() throws Exception {
        TestCertificates.OwnCa ca = TestCertificates.OwnCa.create("Impostor CA");
        int before = caCount();
        String verification = ca.issue("CN=" + "0".repeat(64));
        assertThatThrownBy(() -> node.admin().registerCACertificate(b -> b.caCertificate(ca.pem()).verificationCertificate(verification)))
                .isInstanceOf(RegistrationCodeValidationException.class);
        assertThat(caCount()).isEqualTo(before);
    }

    @Test
    void verificationSignedByAnotherKeyIsRefused() throws Exception {
        TestCertificates.OwnCa ca = TestCertificates.OwnCa.create("Claimed CA");
        TestCertificates.OwnCa other = TestCertificates.OwnCa.create("Other CA");
        String code = node.admin().getRegistrationCode(b -> { }).registrationCode();
        String verification = other.issue("CN=" + code);
        int before = caCount();
        assertThatThrownBy(() -> node.admin().registerCACertificate(b -> b.caCertificate(ca.pem()).verificationCertificate(verification)))
                .isInstanceOf(RegistrationCodeValidationException.class);
        assertThat(caCount()).isEqualTo(before);
    }

    @Test
    void deviceCertificateFromAnUnregisteredCaIsRefused() throws Exception {
        TestCertificates.OwnCa unknown = TestCertificates.OwnCa.create("Unregistered CA");
        String devicePem = unknown.issue("CN=orphan");
        assertThatThrownBy(() -> node.admin().registerCertificate(b -> b.certificatePem(devicePem).caCertificatePem(unknown.pem())))
                .isInstanceOf(IotException.class)
                .satisfies(e -> assertThat(e).isInstanceOfAny(CertificateValidationException.class, ResourceNotFoundException.class,
                        InvalidRequestException.class));
    }

    @Test
    void caStatusAndAutoRegistrationUpdate() throws Exception {
        String caId = registerCa(TestCertificates.OwnCa.create("Fleet CA 2"), true);
        node.admin().updateCACertificate(b -> b.certificateId(caId).newStatus(CACertificateStatus.INACTIVE)
                .newAutoRegistrationStatus(AutoRegistrationStatus.ENABLE));
        CACertificateDescription description = node.admin().describeCACertificate(b -> b.certificateId(caId)).certificateDescription();
        assertThat(description.status()).isEqualTo(CACertificateStatus.INACTIVE);
        assertThat(description.autoRegistrationStatus()).isEqualTo(AutoRegistrationStatus.ENABLE);
        assertThatThrownBy(() -> node.admin().updateCACertificate(b -> b.certificateId(caId).newStatus("REVOKED")))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void activeCaCannotBeDeletedAndInactiveOneIs() throws Exception {
        String caId = registerCa(TestCertificates.OwnCa.create("Fleet CA 3"), true);
        assertThatThrownBy(() -> node.admin().deleteCACertificate(b -> b.certificateId(caId))).isInstanceOf(CertificateStateException.class);
        assertThat(node.admin().describeCACertificate(b -> b.certificateId(caId))).isNotNull();
        node.admin().updateCACertificate(b -> b.certificateId(caId).newStatus(CACertificateStatus.INACTIVE));
        node.admin().deleteCACertificate(b -> b.certificateId(caId));
        assertThatThrownBy(() -> node.admin().describeCACertificate(b -> b.certificateId(caId))).isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void unknownCaIsResourceNotFound() {
        String unknown = "b".repeat(64);
        assertThatThrownBy(() -> node.admin().describeCACertificate(b -> b.certificateId(unknown))).isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> node.admin().deleteCACertificate(b -> b.certificateId(unknown))).isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> node.admin().listCertificatesByCA(b -> b.caCertificateId(unknown))).isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void listCaCertificatesShowsRegisteredOnes() throws Exception {
        String caId = registerCa(TestCertificates.OwnCa.create("Fleet CA 4"), false);
        assertThat(node.readOnly().listCACertificates(b -> b.pageSize(250)).certificates())
                .anySatisfy(c -> {
                    assertThat(c.certificateId()).isEqualTo(caId);
                    assertThat(c.status()).isEqualTo(CACertificateStatus.INACTIVE);
                });
        assertThatThrownBy(() -> node.admin().listCACertificates(b -> b.templateName("tpl"))).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void sniOnlyCaRegistrationIsRefusedClearly() throws Exception {
        TestCertificates.OwnCa ca = TestCertificates.OwnCa.create("Sni CA");
        assertThatThrownBy(() -> node.admin().registerCACertificate(b -> b.caCertificate(ca.pem()).certificateMode("SNI_ONLY")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("certificateMode");
    }

    @Test
    void crlIsPublicSignedByTheBuiltInCaAndListsRevokedCertificates() throws Exception {
        var created = node.admin().createKeysAndCertificate(b -> b.setAsActive(true));
        BigInteger serial = Pem.parseCertificate(created.certificatePem()).getSerialNumber();
        node.admin().updateCertificate(b -> b.certificateId(created.certificateId()).newStatus(CertificateStatus.REVOKED));

        HttpResponse<String> response = node.send(HttpRequest.newBuilder(node.endpoint().resolve("/rampart/ca/crl")).GET().build());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(ApiTestNode.header(response, "Content-Type")).isEqualTo(CrlRoutes.CONTENT_TYPE);
        X509CRL crl = Pem.parseCrl(response.body());
        X509Certificate ca = node.ca().certificate();
        crl.verify(ca.getPublicKey());
        assertThat(crl.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        assertThat(crl.getRevokedCertificate(serial)).isNotNull();
        assertThat(crl.getNextUpdate()).isAfter(crl.getThisUpdate());
    }
}
