package io.rampart.api;

import java.util.List;

/** The one place where every route group of the API is composed. */
final class ApiRoutes {
    private ApiRoutes() {
    }

    static List<RouteGroup> groups(ApiConfig config) {
        return List.of(
                new EndpointRoutes(config.endpointHost()),
                new CertificateRoutes(),
                new CaCertificateRoutes(),
                new CrlRoutes(),
                new AccessKeyRoutes(),
                new ThingRoutes(),
                new ThingTypeRoutes(),
                new ThingGroupRoutes(config.scope()),
                new PolicyRoutes(),
                new PolicyAttachmentRoutes(config.scope()),
                new AuthorizationRoutes(),
                new PolicyAnalysisRoutes(config.scope(), config.substitutionMode()),
                new ShadowRoutes(),
                new PublishRoutes(),
                new TrailRoutes(),
                new LoggingRoutes(),
                new MetricsRoutes(),
                new AuditRoutes());
    }
}
