package io.rampart.api;

import java.util.List;

/** The one place where every route group of the API is composed. */
final class ApiRoutes {
    private ApiRoutes() {
    }

    static List<RouteGroup> groups(ApiConfig config) {
        return List.of(
                new EndpointRoutes(config.endpointHost()),
                new AccessKeyRoutes());
    }
}
