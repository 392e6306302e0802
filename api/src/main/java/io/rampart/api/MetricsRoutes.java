package io.rampart.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;

/**
 * {@code GET /rampart/metrics}: the node's meters in the Prometheus text exposition format 0.0.4, on the API's TLS
 * listener. Under {@code /rampart/} like every route of Rampart's own, so it can never shadow an AWS path; a scrape
 * job sets {@code metrics_path: /rampart/metrics} and {@code scheme: https}.
 *
 * <p>Unauthenticated on purpose, as Prometheus scrape targets are: a scraper cannot SigV4-sign. What it exposes is
 * counts, gauges and latencies labelled only by operation, action, outcome and status, never by client id, thing
 * name, topic, address or key, so it tells a reader how busy the node is, not who uses it. A node started with
 * {@code --metrics off} does not serve it (and records no meters).
 */
final class MetricsRoutes implements RouteGroup {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    @Override
    public List<Route> routes(ApiServices services) {
        PrometheusMeterRegistry metrics = services.metrics();
        if (metrics == null) {
            return List.of();
        }
        return List.of(Route.open("GET", "/rampart/metrics", "GetMetrics", request -> ApiResponse.text(200, CONTENT_TYPE, metrics.scrape())));
    }
}
