package io.rampart.api;

import io.rampart.common.RampartException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DescribeEndpoint ({@code GET /endpoint?endpointType=}). A Rampart node serves MQTT and the data plane on
 * one advertised host, so {@code iot:Data}, {@code iot:Data-ATS} (the default type for AWS SDKs' device
 * clients) and {@code iot:Jobs} all answer it; there is no credential provider to advertise.
 */
final class EndpointRoutes implements RouteGroup {
    private static final Set<String> SERVED = Set.of("iot:Data", "iot:Data-ATS", "iot:Jobs");

    private final String endpointHost;

    EndpointRoutes(String endpointHost) {
        this.endpointHost = endpointHost;
    }

    @Override
    public List<Route> routes(ApiServices services) {
        return List.of(Route.read("GET", "/endpoint", "DescribeEndpoint", request -> {
            String type = request.query("endpointType").filter(t -> !t.isEmpty()).orElse("iot:Data");
            if (type.equals("iot:CredentialProvider")) {
                throw RampartException.invalidRequest("this node has no credential provider endpoint (iot:CredentialProvider)");
            }
            if (!SERVED.contains(type)) {
                throw RampartException.invalidRequest("endpointType must be one of iot:Data, iot:Data-ATS, iot:Jobs, got '" + type + "'");
            }
            return ApiResponse.ok(Map.of("endpointAddress", endpointHost));
        }));
    }
}
