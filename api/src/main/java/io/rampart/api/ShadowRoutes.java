package io.rampart.api;

import io.rampart.common.Page;
import io.rampart.shadow.ShadowKey;
import io.rampart.shadow.Shadows;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Device Shadow operations of the data plane (GetThingShadow, UpdateThingShadow, DeleteThingShadow,
 * ListNamedShadowsForThing), signed for {@code iotdata}. Shadow documents travel as the raw HTTP body.
 */
final class ShadowRoutes implements RouteGroup {
    @Override
    public List<Route> routes(ApiServices services) {
        if (services.dataPlane() == null) {
            return List.of();
        }
        Shadows shadows = services.dataPlane().shadows();
        return List.of(
                dataPlane("GET", "/things/{thingName}/shadow", "GetThingShadow", Route.Access.READ,
                        request -> ApiResponse.ok(shadows.get(key(request)))),
                dataPlane("POST", "/things/{thingName}/shadow", "UpdateThingShadow", Route.Access.WRITE,
                        request -> ApiResponse.ok(shadows.update(key(request), request.rawBody()))),
                // The SDK sends no body: AWS's HTTP delete takes neither a version nor a client token.
                dataPlane("DELETE", "/things/{thingName}/shadow", "DeleteThingShadow", Route.Access.WRITE,
                        request -> ApiResponse.ok(shadows.delete(key(request), new byte[0]))),
                dataPlane("GET", "/api/things/shadow/ListNamedShadowsForThing/{thingName}", "ListNamedShadowsForThing",
                        Route.Access.READ, request -> {
                            Page<String> page = shadows.listNamedShadows(request.pathParam("thingName"),
                                    request.page("pageSize", "nextToken"));
                            Map<String, Object> body = new LinkedHashMap<>();
                            body.put("results", page.items());
                            if (page.nextToken() != null) {
                                body.put("nextToken", page.nextToken());
                            }
                            // ListNamedShadowsForThing's timestamp is epoch seconds as an integer (model type long).
                            body.put("timestamp", Instant.now(services.clock()).getEpochSecond());
                            return ApiResponse.ok(body);
                        }));
    }

    static Route dataPlane(String method, String template, String operation, Route.Access access, Route.Handler handler) {
        return new Route(method, template, operation, access, DataPlane.SIGNING_NAME, handler);
    }

    private static ShadowKey key(ApiRequest request) {
        String name = request.query("name").filter(n -> !n.isEmpty()).orElse(null);
        return new ShadowKey(request.pathParam("thingName"), name);
    }
}
