package io.rampart.policy;

import io.rampart.common.AwsScope;
import io.rampart.common.ErrorType;
import io.rampart.common.RampartException;
import io.rampart.policy.internal.DistinguishedNames;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reads a real certificate (made with openssl, see device-cert.pem) into AWS IoT's certificate variables. */
class CertificateContextTest {
    private static final AwsScope SCOPE = new AwsScope("us-east-1", "123456789012");

    static X509Certificate deviceCertificate() throws Exception {
        String pem = PolicyEvaluationTableTest.resourceText("/device-cert.pem");
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void readsEverySubjectAttributeAwsExposesInCertificateOrder() throws Exception {
        CertificateContext context = CertificateContext.of(deviceCertificate());

        assertThat(context.subject()).containsExactly(
                entry("Country", "US"),
                entry("Organization", "Example Corp"),
                Map.entry("OrganizationalUnit", List.of("SmartHome", "LightBulb")),
                entry("State", "NY"),
                entry("CommonName", "LightBulb Device Cert"),
                entry("GivenName", "Bulb"),
                entry("Initials", "ZZ"),
                entry("DistinguishedNameQualifier", "Bulb001"),
                entry("Surname", "Multi Color"),
                entry("Title", "RGB"),
                entry("Pseudonym", "RGB Device"),
                entry("GenerationQualifier", "4"),
                entry("SerialNumber", "123"));
        assertThat(context.issuer()).isEqualTo(context.subject()); // self-signed
    }

    @Test
    void readsAlternativeNamesSerialValidityAndFingerprint() throws Exception {
        CertificateContext context = CertificateContext.of(deviceCertificate());

        assertThat(context.subjectAlternativeNames()).containsExactly(
                Map.entry("DNSName", List.of("example.com", "device.example.com")),
                entry("IPAddress", "1.2.3.4"),
                entry("UniformResourceIdentifier", "urn:device:001"),
                entry("RFC822Name", "device1@example.com"),
                entry("DirectoryName", "CN=LightBulbCert,O=IoT,C=US"));
        assertThat(context.issuerAlternativeNames()).isEmpty();
        // AWS: "the certificate serial number as the string representation of a decimal integer".
        assertThat(context.serialNumber()).isEqualTo("10525622389124227206");
        assertThat(context.certificateId())
                .isEqualTo("4cc5208a89e6f6af521d34e5d16aa49e9d414adcd2892b95b3e0efc5278c1eb0");
        assertThat(context.notBefore()).isBefore(context.notAfter());
    }

    @Test
    void certificateVariablesResolveFromARealCertificate() throws Exception {
        PolicyEngine engine = new PolicyEngine(SCOPE, Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC));
        NamedPolicy policy = new NamedPolicy("cert", "1", PolicyDocument.parse("""
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Action":"iot:Connect","Resource":"arn:aws:iot:us-east-1:123456789012:client/${iot:Certificate.SerialNumber}"},
                  {"Effect":"Allow","Action":"iot:Publish",
                   "Resource":"arn:aws:iot:us-east-1:123456789012:topic/${iot:Certificate.Subject.Organization}/${iot:Certificate.Subject.OrganizationalUnit.1}/${iot:Certificate.Subject.AlternativeName.DNSName.1}",
                   "Condition":{"ForAnyValue:StringEquals":{"iot:Certificate.Subject.AlternativeName.IPAddress.List":["1.2.3.4"]},
                                "StringEquals":{"iot:Certificate.Issuer.Title":"RGB"}}}]}"""));
        RequestContext context = RequestContext.builder().clientId("10525622389124227206")
                .certificate(CertificateContext.of(deviceCertificate())).build();

        assertThat(engine.evaluate(List.of(policy), AuthorizationRequest.connect(SCOPE, context)).isAllowed()).isTrue();
        assertThat(engine.evaluate(List.of(policy),
                AuthorizationRequest.publish(SCOPE, "Example Corp/LightBulb/device.example.com", context)).isAllowed())
                .isTrue();
        assertThat(engine.evaluate(List.of(policy),
                AuthorizationRequest.publish(SCOPE, "Example Corp/SmartHome/example.com", context)).isAllowed())
                .isFalse();
    }

    @Test
    void rejectsANameThatIsNotDer() {
        assertThatThrownBy(() -> DistinguishedNames.attributes(new byte[] {0x30, 0x05, 0x31}))
                .isInstanceOf(RampartException.class)
                .satisfies(e -> assertThat(((RampartException) e).type()).isEqualTo(ErrorType.CERTIFICATE_VALIDATION))
                .hasMessage("certificate name is not valid DER");
    }

    private static java.util.Map.Entry<String, List<String>> entry(String key, String value) {
        return Map.entry(key, List.of(value));
    }
}
