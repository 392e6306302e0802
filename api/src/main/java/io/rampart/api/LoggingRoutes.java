package io.rampart.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rampart.common.Page;
import io.rampart.common.RampartException;
import io.rampart.trail.logging.ComponentLogLevel;
import io.rampart.trail.logging.LogLevel;
import io.rampart.trail.logging.LoggingConfiguration;
import io.rampart.trail.logging.LoggingOptions;
import java.util.List;

/**
 * AWS IoT's logging operations over the node's {@link LoggingConfiguration}: GetLoggingOptions/SetLoggingOptions (v1)
 * and GetV2LoggingOptions/SetV2LoggingOptions, SetV2LoggingLevel, ListV2LoggingLevels, DeleteV2LoggingLevel (v2).
 *
 * <p>v1 and v2 are two views of one setting here: v1's {@code logLevel} is v2's {@code defaultLogLevel}. Members a
 * Set call leaves out keep their current value. Per-target levels take Rampart's own target type
 * {@value LoggingConfiguration#COMPONENT_TARGET} (AWS's device target types are refused, see
 * {@link LoggingConfiguration}).
 */
final class LoggingRoutes implements RouteGroup {
    @Override
    public List<Route> routes(ApiServices services) {
        LoggingConfiguration logging = services.logging();
        if (logging == null) {
            return List.of();
        }
        return List.of(
                Route.read("GET", "/loggingOptions", "GetLoggingOptions", request -> {
                    LoggingOptions options = logging.current();
                    return ApiResponse.ok(new V1Options(options.roleArn(), options.defaultLogLevel().name()));
                }),
                Route.write("POST", "/loggingOptions", "SetLoggingOptions", request -> {
                    // The SDK sends LoggingOptionsPayload as the whole body (its payload trait).
                    ObjectNode body = request.body();
                    String roleArn = ApiRequest.requiredText(body, "roleArn");
                    LoggingOptions current = logging.current();
                    LogLevel level = ApiRequest.optionalText(body, "logLevel")
                            .map(value -> ApiRequest.enumValue(LogLevel.class, "logLevel", value))
                            .orElse(current.defaultLogLevel());
                    logging.setOptions(new LoggingOptions(roleArn, level, current.disableAllLogs()));
                    return ApiResponse.empty();
                }),
                Route.read("GET", "/v2LoggingOptions", "GetV2LoggingOptions", request -> {
                    LoggingOptions options = logging.current();
                    return ApiResponse.ok(new V2Options(options.roleArn(), options.defaultLogLevel().name(),
                            options.disableAllLogs()));
                }),
                Route.write("POST", "/v2LoggingOptions", "SetV2LoggingOptions", request -> {
                    ObjectNode body = request.body();
                    JsonNode events = body.get("eventConfigurations");
                    if (events != null && !events.isNull() && !events.isEmpty()) {
                        throw RampartException.invalidRequest("member 'eventConfigurations' is not supported: Rampart sets "
                                + "levels per component (SetV2LoggingLevel with targetType "
                                + LoggingConfiguration.COMPONENT_TARGET + "), not per event type");
                    }
                    LoggingOptions current = logging.current();
                    String roleArn = ApiRequest.optionalText(body, "roleArn").orElse(current.roleArn());
                    LogLevel level = ApiRequest.optionalText(body, "defaultLogLevel")
                            .map(value -> ApiRequest.enumValue(LogLevel.class, "defaultLogLevel", value))
                            .orElse(current.defaultLogLevel());
                    boolean disableAll = ApiRequest.optionalBoolean(body, "disableAllLogs").orElse(current.disableAllLogs());
                    logging.setOptions(new LoggingOptions(roleArn, level, disableAll));
                    return ApiResponse.empty();
                }),
                Route.write("POST", "/v2LoggingLevel", "SetV2LoggingLevel", request -> {
                    ObjectNode body = request.body();
                    ObjectNode target = BodyMembers.optionalObject(body, "logTarget")
                            .orElseThrow(() -> RampartException.invalidRequest("member 'logTarget' is required"));
                    LogLevel level = ApiRequest.enumValue(LogLevel.class, "logLevel", ApiRequest.requiredText(body, "logLevel"));
                    logging.setLevel(ApiRequest.requiredText(target, "targetType"),
                            ApiRequest.optionalText(target, "targetName").orElse(null), level);
                    return ApiResponse.empty();
                }),
                Route.read("GET", "/v2LoggingLevel", "ListV2LoggingLevels", request -> {
                    Page.Request page = request.page("maxResults", "nextToken");
                    List<ComponentLogLevel> all = logging.levels(request.query("targetType"));
                    // The token is the last component name of the previous page (names are unique and sorted).
                    List<ComponentLogLevel> after = page.nextToken() == null ? all
                            : all.stream().filter(level -> level.component().compareTo(page.nextToken()) > 0).toList();
                    List<ComponentLogLevel> items = after.stream().limit(page.maxResults()).toList();
                    String next = after.size() > items.size() ? items.getLast().component() : null;
                    return ApiResponse.ok(new LevelList(items.stream().map(TargetConfiguration::of).toList(), next));
                }),
                Route.write("DELETE", "/v2LoggingLevel", "DeleteV2LoggingLevel", request -> {
                    logging.deleteLevel(request.requiredQuery("targetType"), request.requiredQuery("targetName"));
                    return ApiResponse.empty();
                }));
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record V1Options(String roleArn, String logLevel) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record V2Options(String roleArn, String defaultLogLevel, boolean disableAllLogs) {
    }

    record Target(String targetType, String targetName) {
    }

    record TargetConfiguration(Target logTarget, String logLevel) {
        static TargetConfiguration of(ComponentLogLevel level) {
            return new TargetConfiguration(new Target(LoggingConfiguration.COMPONENT_TARGET, level.component()),
                    level.level().name());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record LevelList(List<TargetConfiguration> logTargetConfigurations, String nextToken) {
    }
}
