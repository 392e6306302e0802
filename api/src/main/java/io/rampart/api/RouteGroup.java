package io.rampart.api;

import java.util.List;

/** A set of routes contributed by one capability (certificates, things, policies...), built from the node's services. */
@FunctionalInterface
public interface RouteGroup {
    List<Route> routes(ApiServices services);
}
