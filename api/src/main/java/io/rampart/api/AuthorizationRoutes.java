package io.rampart.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rampart.common.RampartException;
import io.rampart.registry.ActionType;
import io.rampart.registry.AuthInfo;
import io.rampart.registry.AuthResult;
import io.rampart.registry.Authorizations;
import io.rampart.registry.EffectivePolicy;
import io.rampart.registry.PolicyRef;
import io.rampart.registry.Registry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * TestAuthorization and GetEffectivePolicies: "would this principal be allowed?" answered by the same policy
 * engine the broker uses. Both change nothing, so read-only keys may call them although AWS models them as POST.
 */
final class AuthorizationRoutes implements RouteGroup {
    /** AWS TestAuthorization: authInfos holds 1 to 10 questions. */
    static final int MAX_AUTH_INFOS = 10;

    @Override
    public List<Route> routes(ApiServices services) {
        Registry registry = services.registry();
        return List.of(
                Route.read("POST", "/test-authorization", "TestAuthorization", request -> testAuthorization(registry.authorizations(), request)),
                Route.read("POST", "/effective-policies", "GetEffectivePolicies", request -> {
                    ObjectNode body = request.body();
                    refuseCognito(body);
                    String principal = ApiRequest.optionalText(body, "principal").filter(p -> !p.isBlank()).orElseThrow(() ->
                            RampartException.invalidRequest("member 'principal' is required: a certificate ARN "
                                    + "(arn:aws:iot:REGION:ACCOUNT:cert/<id>) or thing-group ARN"));
                    String thingName = request.query("thingName").filter(v -> !v.isEmpty()).orElse(null);
                    List<EffectivePolicy> policies = registry.authorizations().effectivePolicies(principal, thingName);
                    return ApiResponse.ok(new EffectivePolicies(policies.stream()
                            .map(p -> new EffectivePolicyEntry(p.policyName(), p.policyArn(), p.policyDocument())).toList()));
                }));
    }

    private static ApiResponse testAuthorization(Authorizations authorizations, ApiRequest request) {
        ObjectNode body = request.body();
        refuseCognito(body);
        List<ObjectNode> questions = BodyMembers.optionalObjectList(body, "authInfos", "authInfos").orElse(List.of());
        if (questions.isEmpty() || questions.size() > MAX_AUTH_INFOS) {
            throw RampartException.invalidRequest("member 'authInfos' must hold 1 to " + MAX_AUTH_INFOS
                    + " questions ({\"actionType\": \"PUBLISH\", \"resources\": [\"arn:aws:iot:...:topic/...\"]}), got " + questions.size());
        }
        List<AuthInfo> authInfos = new ArrayList<>();
        for (int i = 0; i < questions.size(); i++) {
            authInfos.add(authInfo(questions.get(i), "authInfos[" + i + "]"));
        }
        List<String> toAdd = BodyMembers.optionalStringList(body, "policyNamesToAdd", "policyNamesToAdd").orElse(List.of());
        List<String> toSkip = BodyMembers.optionalStringList(body, "policyNamesToSkip", "policyNamesToSkip").orElse(List.of());
        String principal = ApiRequest.optionalText(body, "principal").filter(p -> !p.isBlank()).orElse(null);
        if (principal == null && toAdd.isEmpty()) {
            throw RampartException.invalidRequest("member 'principal' is required (a certificate ARN such as "
                    + "arn:aws:iot:REGION:ACCOUNT:cert/<id>, or a thing-group ARN) unless policyNamesToAdd names the policies to test");
        }
        String clientId = request.query("clientId").filter(v -> !v.isEmpty()).orElse(null);
        List<AuthResult> results = authorizations.testAuthorization(principal, clientId, authInfos, toAdd, toSkip);
        return ApiResponse.ok(new AuthResults(results.stream().map(AuthorizationRoutes::answer).toList()));
    }

    private static AuthInfo authInfo(ObjectNode question, String path) {
        String action = ApiRequest.optionalText(question, "actionType").orElseThrow(() ->
                RampartException.invalidRequest("member '" + path + ".actionType' is required: one of " + Arrays.toString(ActionType.values())));
        ActionType actionType = Arrays.stream(ActionType.values()).filter(t -> t.name().equals(action)).findFirst().orElseThrow(() ->
                RampartException.invalidRequest("member '" + path + ".actionType' must be one of " + Arrays.toString(ActionType.values())
                        + ", got '" + action + "'"));
        List<String> resources = BodyMembers.optionalStringList(question, "resources", path + ".resources").orElse(List.of());
        if (resources.isEmpty()) {
            throw RampartException.invalidRequest("member '" + path + ".resources' must list at least one resource ARN, e.g. "
                    + "arn:aws:iot:REGION:ACCOUNT:topic/<topic>");
        }
        return new AuthInfo(actionType, resources);
    }

    private static void refuseCognito(ObjectNode body) {
        BodyMembers.refuse(body, "cognitoIdentityPoolId", "Rampart has no Cognito identities; give a certificate ARN as principal");
    }

    private static AuthResultEntry answer(AuthResult result) {
        return new AuthResultEntry(
                new AuthInfoEntry(result.authInfo().actionType().name(), result.authInfo().resources()),
                new Allowed(refs(result.allowedBy())),
                new Denied(new Policies(refs(result.implicitDenyBy())), new Policies(refs(result.explicitDenyBy()))),
                result.authDecision().name(),
                result.missingContextValues());
    }

    private static List<PolicyRoutes.PolicyEntry> refs(List<PolicyRef> refs) {
        return refs.stream().map(PolicyRoutes.PolicyEntry::of).toList();
    }

    record AuthInfoEntry(String actionType, List<String> resources) {
    }

    record Policies(List<PolicyRoutes.PolicyEntry> policies) {
    }

    record Allowed(List<PolicyRoutes.PolicyEntry> policies) {
    }

    record Denied(Policies implicitDeny, Policies explicitDeny) {
    }

    record AuthResultEntry(AuthInfoEntry authInfo, Allowed allowed, Denied denied, String authDecision,
                           List<String> missingContextValues) {
    }

    record AuthResults(List<AuthResultEntry> authResults) {
    }

    record EffectivePolicyEntry(String policyName, String policyArn, String policyDocument) {
    }

    record EffectivePolicies(List<EffectivePolicyEntry> effectivePolicies) {
    }
}
