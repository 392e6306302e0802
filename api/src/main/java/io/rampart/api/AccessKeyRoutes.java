package io.rampart.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rampart.common.Page;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rampart's own access-key administration (AWS does this in IAM, which Rampart does not have):
 * {@code POST /rampart/access-keys}, {@code GET /rampart/access-keys}, {@code DELETE /rampart/access-keys/{id}}.
 * Admin keys only, reads included: the list shows who can sign requests.
 */
final class AccessKeyRoutes implements RouteGroup {
    @Override
    public List<Route> routes(ApiServices services) {
        AccessKeys keys = services.accessKeys();
        return List.of(
                Route.admin("POST", "/rampart/access-keys", "CreateAccessKey", request -> {
                    ObjectNode body = request.body();
                    String name = ApiRequest.requiredText(body, "name");
                    boolean readOnly = ApiRequest.optionalBoolean(body, "readOnly").orElse(false);
                    AccessKeys.NewAccessKey created = keys.create(name, readOnly ? AccessKeys.Role.READ_ONLY : AccessKeys.Role.ADMIN);
                    Map<String, Object> out = describe(created.key());
                    out.put("secretAccessKey", created.secretAccessKey());
                    return ApiResponse.ok(out);
                }),
                Route.admin("GET", "/rampart/access-keys", "ListAccessKeys", request -> {
                    Page<AccessKeys.AccessKey> page = keys.list(request.page("maxResults", "nextToken"));
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("accessKeys", page.items().stream().map(AccessKeyRoutes::describe).toList());
                    if (page.nextToken() != null) {
                        out.put("nextToken", page.nextToken());
                    }
                    return ApiResponse.ok(out);
                }),
                Route.admin("DELETE", "/rampart/access-keys/{accessKeyId}", "DeleteAccessKey", request -> {
                    keys.delete(request.pathParam("accessKeyId"));
                    return ApiResponse.empty();
                }));
    }

    private static Map<String, Object> describe(AccessKeys.AccessKey key) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("accessKeyId", key.accessKeyId());
        out.put("name", key.name());
        out.put("readOnly", key.role() == AccessKeys.Role.READ_ONLY);
        out.put("createdAt", ApiResponse.epochSeconds(key.createdAt()));
        return out;
    }
}
