package io.rampart.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rampart.common.Page;
import io.rampart.common.RampartException;
import io.rampart.defender.AuditCheckName;
import io.rampart.defender.AuditConfiguration;
import io.rampart.defender.AuditFinding;
import io.rampart.defender.AuditResource;
import io.rampart.defender.AuditSuppression;
import io.rampart.defender.AuditTask;
import io.rampart.defender.AuditTaskStatus;
import io.rampart.defender.AuditTaskType;
import io.rampart.defender.CheckConfiguration;
import io.rampart.defender.CheckDetails;
import io.rampart.defender.DefenderService;
import io.rampart.defender.FindingQuery;
import io.rampart.defender.ResourceIdentifier;
import io.rampart.defender.ScheduledAudit;
import io.rampart.defender.TaskQuery;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Device Defender audit: the account audit configuration, on-demand audit tasks, findings and suppressions, with
 * AWS IoT's paths and shapes (restJson1; timestamps as epoch seconds in bodies, ISO-8601 or epoch seconds in queries).
 */
final class AuditRoutes implements RouteGroup {
    @Override
    public List<Route> routes(ApiServices services) {
        DefenderService defender = services.defender();
        if (defender == null) {
            return List.of();
        }
        return List.of(
                Route.write("PATCH", "/audit/configuration", "UpdateAccountAuditConfiguration", request -> {
                    updateConfiguration(defender, request.body());
                    return ApiResponse.empty();
                }),
                Route.read("GET", "/audit/configuration", "DescribeAccountAuditConfiguration",
                        request -> ApiResponse.ok(configuration(defender.describeConfiguration()))),
                Route.write("DELETE", "/audit/configuration", "DeleteAccountAuditConfiguration", request -> {
                    defender.deleteConfiguration(request.queryBoolean("deleteScheduledAudits").orElse(false));
                    return ApiResponse.empty();
                }),
                Route.write("POST", "/audit/scheduledaudits/{scheduledAuditName}", "CreateScheduledAudit", request -> {
                    ObjectNode body = request.body();
                    BodyMembers.refuse(body, "tags", "Rampart does not tag resources yet; create the scheduled audit without tags");
                    ScheduledAudit audit = scheduledAudit(request.pathParam("scheduledAuditName"), body);
                    defender.createScheduledAudit(audit);
                    return ApiResponse.ok(Map.of("scheduledAuditArn", scheduledAuditArn(services, audit.name())));
                }),
                Route.write("PATCH", "/audit/scheduledaudits/{scheduledAuditName}", "UpdateScheduledAudit", request -> {
                    String name = request.pathParam("scheduledAuditName");
                    ScheduledAudit current = defender.describeScheduledAudit(name);
                    ObjectNode body = request.body();
                    ScheduledAudit.Frequency frequency = ApiRequest.optionalText(body, "frequency")
                            .map(f -> ApiRequest.enumValue(ScheduledAudit.Frequency.class, "frequency", f)).orElse(current.frequency());
                    boolean sameFrequency = frequency == current.frequency();
                    ScheduledAudit audit = new ScheduledAudit(name, frequency,
                            ApiRequest.optionalText(body, "dayOfWeek").orElse(sameFrequency ? current.dayOfWeek() : null),
                            ApiRequest.optionalText(body, "dayOfMonth").orElse(sameFrequency ? current.dayOfMonth() : null),
                            body.has("targetCheckNames") ? checkNames(body, "targetCheckNames") : current.targetCheckNames());
                    defender.updateScheduledAudit(audit);
                    return ApiResponse.ok(Map.of("scheduledAuditArn", scheduledAuditArn(services, name)));
                }),
                Route.read("GET", "/audit/scheduledaudits/{scheduledAuditName}", "DescribeScheduledAudit", request -> {
                    ScheduledAudit audit = defender.describeScheduledAudit(request.pathParam("scheduledAuditName"));
                    Map<String, Object> out = scheduledAudit(services, audit);
                    out.put("targetCheckNames", audit.targetCheckNames().stream().map(Enum::name).toList());
                    return ApiResponse.ok(out);
                }),
                Route.read("GET", "/audit/scheduledaudits", "ListScheduledAudits", request -> {
                    List<ScheduledAudit> all = defender.listScheduledAudits();
                    Page.Request page = request.page("maxResults", "nextToken");
                    int from = page.nextToken() == null ? 0 : all.stream().map(ScheduledAudit::name).toList()
                            .indexOf(page.nextToken()) + 1;
                    if (page.nextToken() != null && from == 0) {
                        throw RampartException.invalidRequest("nextToken '" + page.nextToken() + "' is not a token this list returned");
                    }
                    List<ScheduledAudit> slice = all.subList(from, Math.min(all.size(), from + page.maxResults()));
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("scheduledAudits", slice.stream().map(a -> scheduledAudit(services, a)).toList());
                    if (from + page.maxResults() < all.size()) {
                        out.put("nextToken", slice.getLast().name());
                    }
                    return ApiResponse.ok(out);
                }),
                Route.write("DELETE", "/audit/scheduledaudits/{scheduledAuditName}", "DeleteScheduledAudit", request -> {
                    defender.deleteScheduledAudit(request.pathParam("scheduledAuditName"));
                    return ApiResponse.empty();
                }),
                Route.write("POST", "/audit/tasks", "StartOnDemandAuditTask", request -> {
                    List<AuditCheckName> checks = checkNames(request.body(), "targetCheckNames");
                    return ApiResponse.ok(Map.of("taskId", defender.startOnDemandAudit(checks)));
                }),
                Route.read("GET", "/audit/tasks/{taskId}", "DescribeAuditTask",
                        request -> ApiResponse.ok(task(defender.describeTask(request.pathParam("taskId"))))),
                Route.read("GET", "/audit/tasks", "ListAuditTasks", request -> listTasks(defender, request)),
                Route.write("PUT", "/audit/tasks/{taskId}/cancel", "CancelAuditTask", request -> {
                    defender.cancelTask(request.pathParam("taskId"));
                    return ApiResponse.empty();
                }),
                Route.read("POST", "/audit/findings", "ListAuditFindings", request -> listFindings(defender, request.body())),
                Route.read("GET", "/audit/findings/{findingId}", "DescribeAuditFinding", request -> ApiResponse.ok(
                        Map.of("finding", finding(defender.describeFinding(request.pathParam("findingId")))))),
                Route.write("POST", "/audit/suppressions/create", "CreateAuditSuppression", request -> {
                    defender.createSuppression(suppression(request.body()));
                    return ApiResponse.empty();
                }),
                Route.read("POST", "/audit/suppressions/describe", "DescribeAuditSuppression", request -> {
                    ObjectNode body = request.body();
                    return ApiResponse.ok(suppression(defender.describeSuppression(checkName(body),
                            resourceIdentifier(body).orElseThrow(() -> required("resourceIdentifier")))));
                }),
                Route.write("PATCH", "/audit/suppressions/update", "UpdateAuditSuppression", request -> {
                    defender.updateSuppression(suppression(request.body()));
                    return ApiResponse.empty();
                }),
                Route.write("POST", "/audit/suppressions/delete", "DeleteAuditSuppression", request -> {
                    ObjectNode body = request.body();
                    defender.deleteSuppression(checkName(body),
                            resourceIdentifier(body).orElseThrow(() -> required("resourceIdentifier")));
                    return ApiResponse.empty();
                }),
                Route.read("POST", "/audit/suppressions/list", "ListAuditSuppressions", request -> {
                    ObjectNode body = request.body();
                    AuditCheckName check = ApiRequest.optionalText(body, "checkName").map(AuditCheckName::parse).orElse(null);
                    Page<AuditSuppression> page = defender.listSuppressions(check, resourceIdentifier(body).orElse(null),
                            ApiRequest.optionalBoolean(body, "ascendingOrder").orElse(true), bodyPage(body));
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("suppressions", page.items().stream().map(AuditRoutes::suppression).toList());
                    putToken(out, page);
                    return ApiResponse.ok(out);
                }));
    }

    // ---- configuration ----

    private static void updateConfiguration(DefenderService defender, ObjectNode body) {
        BodyMembers.refuse(body, "auditNotificationTargetConfigurations", "Rampart does not send to SNS; audit findings"
                + " are published over MQTT and to a webhook (see the README's Device Defender section)");
        String roleArn = ApiRequest.optionalText(body, "roleArn").orElse(null);
        Map<AuditCheckName, CheckConfiguration> checks = new EnumMap<>(AuditCheckName.class);
        Optional<ObjectNode> given = BodyMembers.optionalObject(body, "auditCheckConfigurations");
        if (given.isPresent()) {
            for (Map.Entry<String, JsonNode> entry : given.get().properties()) {
                AuditCheckName check = AuditCheckName.parse(entry.getKey());
                if (!(entry.getValue() instanceof ObjectNode config)) {
                    throw RampartException.invalidRequest("member 'auditCheckConfigurations." + check + "' must be a JSON object");
                }
                boolean enabled = ApiRequest.optionalBoolean(config, "enabled").orElse(false);
                Map<String, String> settings = BodyMembers.optionalStringMap(config, "configuration",
                        "auditCheckConfigurations." + check + ".configuration").orElse(Map.of());
                checks.put(check, new CheckConfiguration(enabled, settings));
            }
        }
        defender.updateConfiguration(roleArn, checks);
    }

    private static Map<String, Object> configuration(AuditConfiguration configuration) {
        Map<String, Object> checks = new LinkedHashMap<>();
        configuration.auditCheckConfigurations().forEach((check, config) -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("enabled", config.enabled());
            if (!config.configuration().isEmpty()) {
                item.put("configuration", config.configuration());
            }
            checks.put(check.name(), item);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        if (configuration.roleArn() != null) {
            out.put("roleArn", configuration.roleArn());
        }
        out.put("auditNotificationTargetConfigurations", Map.of());
        out.put("auditCheckConfigurations", checks);
        return out;
    }

    // ---- scheduled audits ----

    private static ScheduledAudit scheduledAudit(String name, ObjectNode body) {
        return new ScheduledAudit(name, ApiRequest.enumValue(ScheduledAudit.Frequency.class, "frequency",
                ApiRequest.requiredText(body, "frequency")), ApiRequest.optionalText(body, "dayOfWeek").orElse(null),
                ApiRequest.optionalText(body, "dayOfMonth").orElse(null), checkNames(body, "targetCheckNames"));
    }

    private static Map<String, Object> scheduledAudit(ApiServices services, ScheduledAudit audit) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("scheduledAuditName", audit.name());
        out.put("scheduledAuditArn", scheduledAuditArn(services, audit.name()));
        out.put("frequency", audit.frequency().name());
        if (audit.dayOfWeek() != null) {
            out.put("dayOfWeek", audit.dayOfWeek());
        }
        if (audit.dayOfMonth() != null) {
            out.put("dayOfMonth", audit.dayOfMonth());
        }
        return out;
    }

    private static String scheduledAuditArn(ApiServices services, String name) {
        return services.defender().facts().scope().arn("scheduledaudit", name);
    }

    // ---- tasks ----

    private static ApiResponse listTasks(DefenderService defender, ApiRequest request) {
        TaskQuery query = new TaskQuery(queryTime(request, "startTime").orElseThrow(() -> queryRequired("startTime")),
                queryTime(request, "endTime").orElseThrow(() -> queryRequired("endTime")),
                request.query("taskType").map(v -> ApiRequest.enumValue(AuditTaskType.class, "taskType", v)).orElse(null),
                request.query("taskStatus").map(v -> ApiRequest.enumValue(AuditTaskStatus.class, "taskStatus", v)).orElse(null));
        Page<AuditTask> page = defender.listTasks(query, request.page("maxResults", "nextToken"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tasks", page.items().stream().map(t -> Map.of("taskId", t.taskId(), "taskStatus", t.taskStatus().name(),
                "taskType", t.taskType().name())).toList());
        putToken(out, page);
        return ApiResponse.ok(out);
    }

    static Map<String, Object> task(AuditTask task) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("taskStatus", task.taskStatus().name());
        out.put("taskType", task.taskType().name());
        out.put("taskStartTime", ApiResponse.epochSeconds(task.taskStartTime()));
        out.put("taskStatistics", task.taskStatistics());
        if (task.scheduledAuditName() != null) {
            out.put("scheduledAuditName", task.scheduledAuditName());
        }
        Map<String, Object> details = new LinkedHashMap<>();
        task.auditDetails().forEach((check, d) -> details.put(check.name(), details(d)));
        out.put("auditDetails", details);
        return out;
    }

    private static Map<String, Object> details(CheckDetails d) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("checkRunStatus", d.checkRunStatus().name());
        if (d.checkCompliant() != null) {
            out.put("checkCompliant", d.checkCompliant());
        }
        out.put("totalResourcesCount", d.totalResourcesCount());
        out.put("nonCompliantResourcesCount", d.nonCompliantResourcesCount());
        out.put("suppressedNonCompliantResourcesCount", d.suppressedNonCompliantResourcesCount());
        if (d.errorCode() != null) {
            out.put("errorCode", d.errorCode());
        }
        if (d.message() != null) {
            out.put("message", d.message());
        }
        return out;
    }

    // ---- findings ----

    private static ApiResponse listFindings(DefenderService defender, ObjectNode body) {
        FindingQuery query = new FindingQuery(ApiRequest.optionalText(body, "taskId").orElse(null),
                ApiRequest.optionalText(body, "checkName").map(AuditCheckName::parse).orElse(null),
                resourceIdentifier(body).orElse(null), bodyTime(body, "startTime").orElse(null),
                bodyTime(body, "endTime").orElse(null),
                ApiRequest.optionalBoolean(body, "listSuppressedFindings").orElse(true));
        Page<AuditFinding> page = defender.listFindings(query, bodyPage(body));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("findings", page.items().stream().map(AuditRoutes::finding).toList());
        putToken(out, page);
        return ApiResponse.ok(out);
    }

    static Map<String, Object> finding(AuditFinding f) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("findingId", f.findingId());
        out.put("taskId", f.taskId());
        out.put("checkName", f.checkName().name());
        out.put("taskStartTime", ApiResponse.epochSeconds(f.taskStartTime()));
        out.put("findingTime", ApiResponse.epochSeconds(f.findingTime()));
        out.put("severity", f.severity().name());
        out.put("nonCompliantResource", resource(f.nonCompliantResource()));
        out.put("relatedResources", f.relatedResources().stream().map(AuditRoutes::resource).toList());
        out.put("reasonForNonCompliance", f.reasonForNonCompliance());
        out.put("reasonForNonComplianceCode", f.reasonForNonComplianceCode());
        out.put("isSuppressed", f.suppressed());
        return out;
    }

    private static Map<String, Object> resource(AuditResource resource) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("resourceType", resource.resourceType().name());
        out.put("resourceIdentifier", resource.resourceIdentifier());
        out.put("additionalInfo", resource.additionalInfo());
        return out;
    }

    // ---- suppressions ----

    private static AuditSuppression suppression(ObjectNode body) {
        return new AuditSuppression(checkName(body), resourceIdentifier(body).orElseThrow(() -> required("resourceIdentifier")),
                bodyTime(body, "expirationDate").orElse(null),
                ApiRequest.optionalBoolean(body, "suppressIndefinitely").orElse(false),
                ApiRequest.optionalText(body, "description").orElse(null));
    }

    private static Map<String, Object> suppression(AuditSuppression s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("checkName", s.checkName().name());
        out.put("resourceIdentifier", s.resourceIdentifier());
        if (s.expirationDate() != null) {
            out.put("expirationDate", ApiResponse.epochSeconds(s.expirationDate()));
        }
        out.put("suppressIndefinitely", s.suppressIndefinitely());
        if (s.description() != null) {
            out.put("description", s.description());
        }
        return out;
    }

    // ---- request members ----

    private static AuditCheckName checkName(ObjectNode body) {
        return AuditCheckName.parse(ApiRequest.requiredText(body, "checkName"));
    }

    private static List<AuditCheckName> checkNames(ObjectNode body, String member) {
        List<String> names = BodyMembers.optionalStringList(body, member, member).orElseThrow(() -> required(member));
        List<AuditCheckName> checks = new ArrayList<>();
        names.forEach(name -> checks.add(AuditCheckName.parse(name)));
        return checks;
    }

    /** AWS ResourceIdentifier; members naming things Rampart does not have are refused, not ignored. */
    static Optional<ResourceIdentifier> resourceIdentifier(ObjectNode body) {
        Optional<ObjectNode> given = BodyMembers.optionalObject(body, "resourceIdentifier");
        if (given.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode id = given.get();
        BodyMembers.refuse(id, "cognitoIdentityPoolId", "Rampart has no Cognito identity pools");
        BodyMembers.refuse(id, "iamRoleArn", "Rampart has no IAM roles");
        BodyMembers.refuse(id, "roleAliasArn", "Rampart has no role aliases");
        ResourceIdentifier.PolicyVersionIdentifier policy = BodyMembers.optionalObject(id, "policyVersionIdentifier")
                .map(p -> new ResourceIdentifier.PolicyVersionIdentifier(ApiRequest.optionalText(p, "policyName").orElse(null),
                        ApiRequest.optionalText(p, "policyVersionId").orElse(null))).orElse(null);
        ResourceIdentifier.IssuerCertificateIdentifier issuer = BodyMembers.optionalObject(id, "issuerCertificateIdentifier")
                .map(i -> new ResourceIdentifier.IssuerCertificateIdentifier(
                        ApiRequest.optionalText(i, "issuerCertificateSubject").orElse(null),
                        ApiRequest.optionalText(i, "issuerId").orElse(null),
                        ApiRequest.optionalText(i, "issuerCertificateSerialNumber").orElse(null))).orElse(null);
        return Optional.of(new ResourceIdentifier(ApiRequest.optionalText(id, "deviceCertificateId").orElse(null),
                ApiRequest.optionalText(id, "caCertificateId").orElse(null),
                ApiRequest.optionalText(id, "clientId").orElse(null), policy,
                ApiRequest.optionalText(id, "account").orElse(null), issuer,
                ApiRequest.optionalText(id, "deviceCertificateArn").orElse(null)));
    }

    /** A timestamp member of a JSON body: restJson1 sends epoch seconds (a number, possibly with a fraction). */
    static Optional<Instant> bodyTime(JsonNode body, String member) {
        JsonNode value = body.get(member);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isNumber()) {
            throw RampartException.invalidRequest("member '" + member + "' must be a timestamp in epoch seconds, got " + value);
        }
        BigDecimal millis = value.decimalValue().movePointRight(3);
        return Optional.of(Instant.ofEpochMilli(millis.longValue()));
    }

    /** A timestamp query parameter: ISO-8601 (what restJson1 sends) or epoch seconds. */
    static Optional<Instant> queryTime(ApiRequest request, String name) {
        return request.query(name).filter(v -> !v.isEmpty()).map(v -> {
            try {
                return v.matches("\\d+(\\.\\d+)?") ? Instant.ofEpochMilli(new BigDecimal(v).movePointRight(3).longValue())
                        : Instant.parse(v);
            } catch (DateTimeParseException e) {
                throw RampartException.invalidRequest("query parameter '" + name + "' must be an ISO-8601 time"
                        + " (2026-01-01T00:00:00Z) or epoch seconds, got '" + v + "'");
            }
        });
    }

    /** maxResults/nextToken given in a JSON body (the POST list operations). */
    static Page.Request bodyPage(ObjectNode body) {
        Integer maxResults = BodyMembers.optionalLong(body, "maxResults").map(Long::intValue).orElse(null);
        return Page.Request.of(maxResults, ApiRequest.optionalText(body, "nextToken").filter(t -> !t.isEmpty()).orElse(null));
    }

    static void putToken(Map<String, Object> out, Page<?> page) {
        if (page.nextToken() != null) {
            out.put("nextToken", page.nextToken());
        }
    }

    private static RampartException required(String member) {
        return RampartException.invalidRequest("member '" + member + "' is required");
    }

    private static RampartException queryRequired(String name) {
        return RampartException.invalidRequest("query parameter '" + name + "' is required");
    }
}
