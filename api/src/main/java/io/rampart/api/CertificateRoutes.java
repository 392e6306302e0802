package io.rampart.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rampart.common.Page;
import io.rampart.common.RampartException;
import io.rampart.registry.Certificate;
import io.rampart.registry.CertificateStatus;
import io.rampart.registry.Certificates;
import io.rampart.registry.IssuedCertificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Device certificate operations, on AWS IoT's paths and shapes: CreateKeysAndCertificate,
 * CreateCertificateFromCsr, RegisterCertificate, RegisterCertificateWithoutCA, UpdateCertificate,
 * DeleteCertificate, DescribeCertificate, ListCertificates, ListCertificatesByCA.
 */
final class CertificateRoutes implements RouteGroup {
    /** AWS's certificateId constraint: 64 hex digits (SHA-256 of the DER). */
    private static final Pattern CERTIFICATE_ID = Pattern.compile("[0-9a-fA-F]{64}");

    @Override
    public List<Route> routes(ApiServices services) {
        Certificates certificates = services.registry().certificates();
        return List.of(
                Route.write("POST", "/keys-and-certificate", "CreateKeysAndCertificate", request -> {
                    IssuedCertificate issued = certificates.createKeysAndCertificate(request.queryBoolean("setAsActive").orElse(false));
                    Map<String, Object> out = created(issued.certificate(), true);
                    out.put("keyPair", Map.of("PublicKey", issued.publicKeyPem(), "PrivateKey", issued.privateKeyPem()));
                    return ApiResponse.ok(out);
                }),
                Route.write("POST", "/certificates", "CreateCertificateFromCsr", request -> {
                    String csr = ApiRequest.requiredText(request.body(), "certificateSigningRequest");
                    Certificate certificate = certificates.createFromCsr(csr, request.queryBoolean("setAsActive").orElse(false));
                    return ApiResponse.ok(created(certificate, true));
                }),
                Route.write("POST", "/certificate/register", "RegisterCertificate", request -> {
                    ObjectNode body = request.body();
                    Certificate certificate = certificates.register(
                            ApiRequest.requiredText(body, "certificatePem"),
                            ApiRequest.optionalText(body, "caCertificatePem").orElse(null),
                            ApiRequest.optionalText(body, "status").map(v -> ApiRequest.enumValue(CertificateStatus.class, "status", v)).orElse(null),
                            request.queryBoolean("setAsActive").orElse(false));
                    return ApiResponse.ok(created(certificate, false));
                }),
                Route.write("POST", "/certificate/register-no-ca", "RegisterCertificateWithoutCA", request -> {
                    ObjectNode body = request.body();
                    Certificate certificate = certificates.registerWithoutCa(
                            ApiRequest.requiredText(body, "certificatePem"),
                            ApiRequest.optionalText(body, "status").map(v -> ApiRequest.enumValue(CertificateStatus.class, "status", v)).orElse(null));
                    return ApiResponse.ok(created(certificate, false));
                }),
                Route.write("PUT", "/certificates/{certificateId}", "UpdateCertificate", request -> {
                    CertificateStatus status = ApiRequest.enumValue(CertificateStatus.class, "newStatus", request.requiredQuery("newStatus"));
                    certificates.update(certificateId(request.pathParam("certificateId")), status);
                    return ApiResponse.empty();
                }),
                Route.write("DELETE", "/certificates/{certificateId}", "DeleteCertificate", request -> {
                    certificates.delete(certificateId(request.pathParam("certificateId")), request.queryBoolean("forceDelete").orElse(false));
                    return ApiResponse.empty();
                }),
                Route.read("GET", "/certificates/{certificateId}", "DescribeCertificate", request -> {
                    Certificate certificate = certificates.describe(certificateId(request.pathParam("certificateId")));
                    return ApiResponse.ok(Map.of("certificateDescription", description(certificate)));
                }),
                Route.read("GET", "/certificates", "ListCertificates", request -> ApiResponse.ok(summaries(
                        certificates.list(request.page("pageSize", "marker"), request.queryBoolean("isAscendingOrder").orElse(false))))),
                Route.read("GET", "/certificates-by-ca/{caCertificateId}", "ListCertificatesByCA", request -> ApiResponse.ok(summaries(
                        certificates.listByCa(certificateId(request.pathParam("caCertificateId")), request.page("pageSize", "marker"),
                                request.queryBoolean("isAscendingOrder").orElse(false))))));
    }

    /** A certificate id from a path, checked against AWS's constraint so a typo is a 400, not a 404. */
    static String certificateId(String value) {
        if (!CERTIFICATE_ID.matcher(value).matches()) {
            throw RampartException.invalidRequest("certificate id must be 64 hexadecimal characters, got '" + value + "'");
        }
        return value.toLowerCase(Locale.ROOT);
    }

    private static Map<String, Object> created(Certificate certificate, boolean withPem) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("certificateArn", certificate.arn());
        out.put("certificateId", certificate.id());
        if (withPem) {
            out.put("certificatePem", certificate.pem());
        }
        return out;
    }

    private static Map<String, Object> description(Certificate c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("certificateArn", c.arn());
        out.put("certificateId", c.id());
        if (c.caCertificateId() != null) {
            out.put("caCertificateId", c.caCertificateId());
        }
        out.put("status", c.status().name());
        out.put("certificatePem", c.pem());
        out.put("ownedBy", c.ownedBy());
        out.put("creationDate", ApiResponse.epochSeconds(c.creationDate()));
        out.put("lastModifiedDate", ApiResponse.epochSeconds(c.lastModifiedDate()));
        out.put("customerVersion", c.customerVersion());
        out.put("generationId", c.generationId());
        out.put("validity", Map.of("notBefore", ApiResponse.epochSeconds(c.notBefore()), "notAfter", ApiResponse.epochSeconds(c.notAfter())));
        out.put("certificateMode", c.mode().name());
        return out;
    }

    private static Map<String, Object> summaries(Page<Certificate> page) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("certificates", page.items().stream().map(c -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("certificateArn", c.arn());
            item.put("certificateId", c.id());
            item.put("status", c.status().name());
            item.put("certificateMode", c.mode().name());
            item.put("creationDate", ApiResponse.epochSeconds(c.creationDate()));
            return item;
        }).toList());
        if (page.nextToken() != null) {
            out.put("nextMarker", page.nextToken());
        }
        return out;
    }
}
