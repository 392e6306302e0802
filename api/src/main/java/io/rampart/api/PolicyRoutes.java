package io.rampart.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rampart.common.Page;
import io.rampart.common.RampartException;
import io.rampart.registry.Policy;
import io.rampart.registry.PolicyRef;
import io.rampart.registry.PolicyVersion;
import io.rampart.registry.Registry;
import java.math.BigDecimal;
import java.util.List;

/**
 * Policies and their versions: Create/Get/Delete/ListPolicies, Create/Get/List/DeletePolicyVersion and
 * SetDefaultPolicyVersion. Document validation and version limits live in the registry; this class maps
 * members and answers.
 */
final class PolicyRoutes implements RouteGroup {

    @Override
    public List<Route> routes(ApiServices services) {
        Registry registry = services.registry();
        return List.of(
                Route.write("POST", "/policies/{policyName}", "CreatePolicy", request -> {
                    ObjectNode body = request.body();
                    BodyMembers.refuse(body, "tags", "Rampart does not tag resources yet; create the policy without tags");
                    PolicyVersion created = registry.policies().create(request.pathParam("policyName"), ApiRequest.requiredText(body, "policyDocument"));
                    return ApiResponse.ok(new CreatedPolicy(created.policyName(), created.policyArn(), created.document(), created.versionId()));
                }),
                Route.read("GET", "/policies/{policyName}", "GetPolicy", request -> {
                    Policy policy = registry.policies().get(request.pathParam("policyName"));
                    return ApiResponse.ok(new PolicyDescription(policy.name(), policy.arn(), policy.document(), policy.defaultVersionId(),
                            ApiResponse.epochSeconds(policy.creationDate()), ApiResponse.epochSeconds(policy.lastModifiedDate()),
                            policy.generationId()));
                }),
                Route.write("DELETE", "/policies/{policyName}", "DeletePolicy", request -> {
                    registry.policies().delete(request.pathParam("policyName"));
                    return ApiResponse.empty();
                }),
                Route.read("GET", "/policies", "ListPolicies", request -> {
                    ascendingOnly(request);
                    Page<PolicyRef> page = registry.policies().list(markerPage(request));
                    return ApiResponse.ok(PolicyList.of(page));
                }),
                Route.write("POST", "/policies/{policyName}/version", "CreatePolicyVersion", request -> {
                    String document = ApiRequest.requiredText(request.body(), "policyDocument");
                    PolicyVersion created = registry.policies().createVersion(request.pathParam("policyName"), document,
                            request.queryBoolean("setAsDefault").orElse(false));
                    return ApiResponse.ok(new CreatedVersion(created.policyArn(), created.document(), created.versionId(),
                            created.isDefaultVersion()));
                }),
                Route.read("GET", "/policies/{policyName}/version/{policyVersionId}", "GetPolicyVersion", request -> {
                    PolicyVersion version = registry.policies().getVersion(request.pathParam("policyName"), request.pathParam("policyVersionId"));
                    return ApiResponse.ok(new VersionDescription(version.policyArn(), version.policyName(), version.document(),
                            version.versionId(), version.isDefaultVersion(), ApiResponse.epochSeconds(version.creationDate()),
                            ApiResponse.epochSeconds(version.lastModifiedDate()), version.generationId()));
                }),
                Route.read("GET", "/policies/{policyName}/version", "ListPolicyVersions", request -> {
                    List<VersionSummary> versions = registry.policies().listVersions(request.pathParam("policyName")).stream()
                            .map(v -> new VersionSummary(v.versionId(), v.isDefaultVersion(), ApiResponse.epochSeconds(v.creationDate())))
                            .toList();
                    return ApiResponse.ok(new VersionList(versions));
                }),
                Route.write("DELETE", "/policies/{policyName}/version/{policyVersionId}", "DeletePolicyVersion", request -> {
                    registry.policies().deleteVersion(request.pathParam("policyName"), request.pathParam("policyVersionId"));
                    return ApiResponse.empty();
                }),
                Route.write("PATCH", "/policies/{policyName}/version/{policyVersionId}", "SetDefaultPolicyVersion", request -> {
                    registry.policies().setDefaultVersion(request.pathParam("policyName"), request.pathParam("policyVersionId"));
                    return ApiResponse.empty();
                }));
    }

    /**
     * Paging of the older list calls ({@code pageSize}/{@code marker}): the bounds are checked here so the error
     * names the parameter the caller actually sent (the CLI's {@code --page-size}), not {@code maxResults}.
     */
    static Page.Request markerPage(ApiRequest request) {
        request.queryInt("pageSize").filter(size -> size < 1 || size > Page.Request.LIMIT).ifPresent(size -> {
            throw RampartException.invalidRequest("pageSize must be between 1 and " + Page.Request.LIMIT + ", got " + size);
        });
        return request.page("pageSize", "marker");
    }

    /**
     * The marker-paged list calls keep one order (by name); descending order would need a second index the
     * registry does not keep, so {@code isAscendingOrder=false} is refused rather than ignored.
     */
    static void ascendingOnly(ApiRequest request) {
        if (!request.queryBoolean("isAscendingOrder").orElse(true)) {
            throw RampartException.invalidRequest("isAscendingOrder=false is not supported: results are listed in ascending order; omit the parameter");
        }
    }

    record CreatedPolicy(String policyName, String policyArn, String policyDocument, String policyVersionId) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PolicyDescription(String policyName, String policyArn, String policyDocument, String defaultVersionId,
                             BigDecimal creationDate, BigDecimal lastModifiedDate, String generationId) {
    }

    record PolicyEntry(String policyName, String policyArn) {
        static PolicyEntry of(PolicyRef ref) {
            return new PolicyEntry(ref.policyName(), ref.policyArn());
        }
    }

    /** The answer of every marker-paged call listing policies (ListPolicies, ListAttachedPolicies, ListPrincipalPolicies). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PolicyList(List<PolicyEntry> policies, String nextMarker) {
        static PolicyList of(Page<PolicyRef> page) {
            return new PolicyList(page.items().stream().map(PolicyEntry::of).toList(), page.nextToken());
        }
    }

    record CreatedVersion(String policyArn, String policyDocument, String policyVersionId, boolean isDefaultVersion) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record VersionDescription(String policyArn, String policyName, String policyDocument, String policyVersionId,
                              boolean isDefaultVersion, BigDecimal creationDate, BigDecimal lastModifiedDate, String generationId) {
    }

    record VersionSummary(String versionId, boolean isDefaultVersion, BigDecimal createDate) {
    }

    record VersionList(List<VersionSummary> policyVersions) {
    }
}
