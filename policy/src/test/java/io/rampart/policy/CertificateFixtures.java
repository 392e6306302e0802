package io.rampart.policy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Certificate contexts used by the evaluation table, modelled on the certificate in AWS's policy-variable guide. */
final class CertificateFixtures {
    private static final Instant NOT_BEFORE = Instant.parse("2024-03-26T03:25:40Z");
    private static final Instant NOT_AFTER = Instant.parse("2026-04-28T03:25:40Z");
    private static final Map<String, List<String>> ISSUER =
            Map.of("CommonName", List.of("IoT Devices Primary CA"), "Organization", List.of("IoT Devices"));

    private CertificateFixtures() {
    }

    static CertificateContext named(String name) {
        return switch (name) {
            case "example-corp" -> subject(Map.of(
                    "Country", List.of("US"),
                    "Organization", List.of("Example Corp"),
                    "OrganizationalUnit", List.of("SmartHome", "LightBulb"),
                    "State", List.of("NY"),
                    "CommonName", List.of("LightBulb")));
            case "two-orgs" -> subject(Map.of("Organization", List.of("Example Corp", "AnyCompany"),
                    "CommonName", List.of("dev")));
            case "foreign-org" -> subject(Map.of("Organization", List.of("Example Corp", "Evil Corp"),
                    "CommonName", List.of("dev")));
            case "no-org" -> subject(Map.of("Country", List.of("US")));
            case "wild-org" -> subject(Map.of("Organization", List.of("Acme*"), "CommonName", List.of("x")));
            case "star-cn" -> subject(Map.of("CommonName", List.of("*")));
            default -> throw new IllegalArgumentException("no certificate fixture " + name);
        };
    }

    private static CertificateContext subject(Map<String, List<String>> subject) {
        return new CertificateContext(subject, ISSUER,
                Map.of("DNSName", List.of("example.com"), "IPAddress", List.of("1.2.3.4")), Map.of(),
                "10525622389124227206", NOT_BEFORE, NOT_AFTER,
                "1f0e5b3c2a7d9e8f00112233445566778899aabbccddeeff0011223344556677");
    }
}
