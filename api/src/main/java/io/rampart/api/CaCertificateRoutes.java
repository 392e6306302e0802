package io.rampart.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rampart.common.Page;
import io.rampart.common.RampartException;
import io.rampart.registry.AutoRegistrationStatus;
import io.rampart.registry.CaCertificate;
import io.rampart.registry.CaCertificateStatus;
import io.rampart.registry.CaCertificateUpdate;
import io.rampart.registry.CaCertificates;
import io.rampart.registry.RegistrationConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CA certificate operations, on AWS IoT's paths and shapes: GetRegistrationCode, DeleteRegistrationCode,
 * RegisterCACertificate,
 * UpdateCACertificate, DeleteCACertificate, DescribeCACertificate, ListCACertificates.
 */
final class CaCertificateRoutes implements RouteGroup {
    @Override
    public List<Route> routes(ApiServices services) {
        CaCertificates cas = services.registry().caCertificates();
        return List.of(
                Route.read("GET", "/registrationcode", "GetRegistrationCode", request ->
                        ApiResponse.ok(Map.of("registrationCode", cas.registrationCode()))),
                Route.write("DELETE", "/registrationcode", "DeleteRegistrationCode", request -> {
                    cas.deleteRegistrationCode();
                    return ApiResponse.empty();
                }),
                Route.write("POST", "/cacertificate", "RegisterCACertificate", request -> {
                    ObjectNode body = request.body();
                    String mode = ApiRequest.optionalText(body, "certificateMode").orElse("DEFAULT");
                    if (!mode.equals("DEFAULT")) {
                        // SNI_ONLY CAs skip the proof of possession; Rampart always asks for it.
                        throw RampartException.invalidRequest("certificateMode must be DEFAULT (with a verification certificate), got '" + mode + "'");
                    }
                    BodyMembers.refuse(body, "tags", "this node does not tag CA certificates; register without tags");
                    CaCertificate ca = cas.register(
                            ApiRequest.requiredText(body, "caCertificate"),
                            ApiRequest.requiredText(body, "verificationCertificate"),
                            request.queryBoolean("setAsActive").orElse(false),
                            request.queryBoolean("allowAutoRegistration").orElse(false),
                            registrationConfig(body.get("registrationConfig")));
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("certificateArn", ca.arn());
                    out.put("certificateId", ca.id());
                    return ApiResponse.ok(out);
                }),
                Route.write("PUT", "/cacertificate/{caCertificateId}", "UpdateCACertificate", request -> {
                    ObjectNode body = request.body();
                    CaCertificateUpdate update = new CaCertificateUpdate(
                            request.query("newStatus").map(v -> ApiRequest.enumValue(CaCertificateStatus.class, "newStatus", v)).orElse(null),
                            request.query("newAutoRegistrationStatus").map(v -> ApiRequest.enumValue(AutoRegistrationStatus.class, "newAutoRegistrationStatus", v)).orElse(null),
                            registrationConfig(body.get("registrationConfig")),
                            ApiRequest.optionalBoolean(body, "removeAutoRegistration").orElse(false));
                    cas.update(CertificateRoutes.certificateId(request.pathParam("caCertificateId")), update);
                    return ApiResponse.empty();
                }),
                Route.write("DELETE", "/cacertificate/{caCertificateId}", "DeleteCACertificate", request -> {
                    cas.delete(CertificateRoutes.certificateId(request.pathParam("caCertificateId")));
                    return ApiResponse.empty();
                }),
                Route.read("GET", "/cacertificate/{caCertificateId}", "DescribeCACertificate", request -> {
                    CaCertificate ca = cas.describe(CertificateRoutes.certificateId(request.pathParam("caCertificateId")));
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("certificateDescription", description(ca));
                    if (ca.registrationConfig() != null) {
                        out.put("registrationConfig", ca.registrationConfig());
                    }
                    return ApiResponse.ok(out);
                }),
                Route.read("GET", "/cacertificates", "ListCACertificates", request -> {
                    if (request.query("templateName").isPresent()) {
                        throw RampartException.invalidRequest("filtering CA certificates by templateName is not supported by this node");
                    }
                    Page<CaCertificate> page = cas.list(request.page("pageSize", "marker"), request.queryBoolean("isAscendingOrder").orElse(false));
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("certificates", page.items().stream().map(ca -> {
                        Map<String, Object> item = new LinkedHashMap<>();
                        item.put("certificateArn", ca.arn());
                        item.put("certificateId", ca.id());
                        item.put("status", ca.status().name());
                        item.put("creationDate", ApiResponse.epochSeconds(ca.creationDate()));
                        return item;
                    }).toList());
                    if (page.nextToken() != null) {
                        out.put("nextMarker", page.nextToken());
                    }
                    return ApiResponse.ok(out);
                }));
    }

    private static RegistrationConfig registrationConfig(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw RampartException.invalidRequest("member 'registrationConfig' must be an object");
        }
        return new RegistrationConfig(
                ApiRequest.optionalText(node, "templateBody").orElse(null),
                ApiRequest.optionalText(node, "roleArn").orElse(null),
                ApiRequest.optionalText(node, "templateName").orElse(null));
    }

    private static Map<String, Object> description(CaCertificate ca) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("certificateArn", ca.arn());
        out.put("certificateId", ca.id());
        out.put("status", ca.status().name());
        out.put("certificatePem", ca.pem());
        out.put("ownedBy", ca.ownedBy());
        out.put("creationDate", ApiResponse.epochSeconds(ca.creationDate()));
        out.put("autoRegistrationStatus", ca.autoRegistrationStatus().name());
        out.put("lastModifiedDate", ApiResponse.epochSeconds(ca.lastModifiedDate()));
        out.put("customerVersion", ca.customerVersion());
        out.put("generationId", ca.generationId());
        out.put("validity", Map.of("notBefore", ApiResponse.epochSeconds(ca.notBefore()), "notAfter", ApiResponse.epochSeconds(ca.notAfter())));
        out.put("certificateMode", "DEFAULT");
        return out;
    }
}
