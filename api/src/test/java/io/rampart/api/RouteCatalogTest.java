package io.rampart.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The composed route table: who may call what, and the AWS wire paths of the certificate operations. */
class RouteCatalogTest {
    @RegisterExtension
    static final ApiTestNode node = new ApiTestNode();

    /** The operations IAM's read-only policies (AWSIoTConfigReadOnlyAccess, AWSCloudTrail_ReadOnlyAccess) grant. */
    private static final Pattern READ_OPERATION = Pattern.compile("(Describe|List|Get).*|TestAuthorization|LookupEvents"
            // Rampart's policy analysis (no AWS equivalent) only reads policies, like TestAuthorization.
            + "|AnalyzePolicy|DiffPolicies|ExplainAuthorization");

    @Test
    void readOnlyKeysReachExactlyTheReadOperations() {
        for (Route route : node.routes()) {
            switch (route.access()) {
                case READ -> assertThat(route.operation()).as(route.template()).matches(READ_OPERATION);
                case WRITE -> assertThat(route.operation()).as(route.template()).doesNotMatch(READ_OPERATION);
                case ADMIN, PUBLIC -> assertThat(route.template()).as(route.operation()).startsWith("/rampart/");
            }
        }
    }

    @Test
    void certificateOperationsUseAwsPathsAndMethods() {
        List<String> table = node.routes().stream().map(r -> r.operation() + " " + r.method() + " " + r.template()).toList();
        assertThat(table).contains(
                "DescribeEndpoint GET /endpoint",
                "CreateKeysAndCertificate POST /keys-and-certificate",
                "CreateCertificateFromCsr POST /certificates",
                "RegisterCertificate POST /certificate/register",
                "RegisterCertificateWithoutCA POST /certificate/register-no-ca",
                "UpdateCertificate PUT /certificates/{certificateId}",
                "DeleteCertificate DELETE /certificates/{certificateId}",
                "DescribeCertificate GET /certificates/{certificateId}",
                "ListCertificates GET /certificates",
                "ListCertificatesByCA GET /certificates-by-ca/{caCertificateId}",
                "GetRegistrationCode GET /registrationcode",
                "RegisterCACertificate POST /cacertificate",
                "UpdateCACertificate PUT /cacertificate/{caCertificateId}",
                "DeleteCACertificate DELETE /cacertificate/{caCertificateId}",
                "DescribeCACertificate GET /cacertificate/{caCertificateId}",
                "ListCACertificates GET /cacertificates",
                "GetCaCrl GET /rampart/ca/crl",
                "CreateAccessKey POST /rampart/access-keys",
                "ListAccessKeys GET /rampart/access-keys",
                "DeleteAccessKey DELETE /rampart/access-keys/{accessKeyId}");
    }
}
