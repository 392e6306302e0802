package io.rampart.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.rampart.common.AwsScope;
import io.rampart.common.Page;
import io.rampart.common.RampartException;
import io.rampart.registry.PolicyRef;
import io.rampart.registry.Registry;
import java.util.List;

/**
 * Policy attachments: AttachPolicy, DetachPolicy, ListTargetsForPolicy, ListAttachedPolicies, and the
 * deprecated principal forms the AWS CLI still exposes (AttachPrincipalPolicy, DetachPrincipalPolicy,
 * ListPrincipalPolicies, ListPolicyPrincipals), which carry the principal or policy in a header.
 */
final class PolicyAttachmentRoutes implements RouteGroup {
    static final String IOT_PRINCIPAL_HEADER = "x-amzn-iot-principal";
    static final String IOT_POLICY_HEADER = "x-amzn-iot-policy";

    private final AwsScope scope;

    PolicyAttachmentRoutes(AwsScope scope) {
        this.scope = scope;
    }

    @Override
    public List<Route> routes(ApiServices services) {
        Registry registry = services.registry();
        return List.of(
                Route.write("PUT", "/target-policies/{policyName}", "AttachPolicy", request -> {
                    registry.attachments().attachPolicy(request.pathParam("policyName"), ApiRequest.requiredText(request.body(), "target"));
                    return ApiResponse.empty();
                }),
                Route.write("POST", "/target-policies/{policyName}", "DetachPolicy", request -> {
                    registry.attachments().detachPolicy(request.pathParam("policyName"), ApiRequest.requiredText(request.body(), "target"));
                    return ApiResponse.empty();
                }),
                // AWS models these two lists as POST although they change nothing.
                Route.read("POST", "/policy-targets/{policyName}", "ListTargetsForPolicy", request -> {
                    Page<String> page = registry.attachments().listTargetsForPolicy(request.pathParam("policyName"), PolicyRoutes.markerPage(request));
                    return ApiResponse.ok(new TargetList(page.items(), page.nextToken()));
                }),
                Route.read("POST", "/attached-policies/{target}", "ListAttachedPolicies", request -> {
                    Page<PolicyRef> page = registry.attachments().listAttachedPolicies(request.pathParam("target"),
                            request.queryBoolean("recursive").orElse(false), PolicyRoutes.markerPage(request));
                    return ApiResponse.ok(PolicyRoutes.PolicyList.of(page));
                }),
                Route.write("PUT", "/principal-policies/{policyName}", "AttachPrincipalPolicy", request -> {
                    registry.attachments().attachPolicy(request.pathParam("policyName"), principal(request));
                    return ApiResponse.empty();
                }),
                Route.write("DELETE", "/principal-policies/{policyName}", "DetachPrincipalPolicy", request -> {
                    registry.attachments().detachPolicy(request.pathParam("policyName"), principal(request));
                    return ApiResponse.empty();
                }),
                Route.read("GET", "/principal-policies", "ListPrincipalPolicies", request -> {
                    PolicyRoutes.ascendingOnly(request);
                    return ApiResponse.ok(PolicyRoutes.PolicyList.of(
                            registry.attachments().listAttachedPolicies(principal(request), false, PolicyRoutes.markerPage(request))));
                }),
                Route.read("GET", "/policy-principals", "ListPolicyPrincipals", request -> {
                    PolicyRoutes.ascendingOnly(request);
                    String policyName = request.header(IOT_POLICY_HEADER).filter(v -> !v.isBlank()).orElseThrow(() ->
                            RampartException.invalidRequest("header '" + IOT_POLICY_HEADER + "' is required: the policy name"));
                    Page<String> page = registry.attachments().listTargetsForPolicy(policyName, PolicyRoutes.markerPage(request));
                    // Principals are certificates; thing groups are targets of the newer API, not principals.
                    String groupPrefix = scope.arnPrefix() + "thinggroup/";
                    List<String> principals = page.items().stream().filter(target -> !target.startsWith(groupPrefix)).toList();
                    return ApiResponse.ok(new PrincipalList(principals, page.nextToken()));
                }));
    }

    private static String principal(ApiRequest request) {
        return request.header(IOT_PRINCIPAL_HEADER).filter(v -> !v.isBlank()).orElseThrow(() -> RampartException.invalidRequest(
                "header '" + IOT_PRINCIPAL_HEADER + "' is required: the certificate ARN, e.g. arn:aws:iot:REGION:ACCOUNT:cert/<certificateId>"));
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TargetList(List<String> targets, String nextMarker) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PrincipalList(List<String> principals, String nextMarker) {
    }
}
