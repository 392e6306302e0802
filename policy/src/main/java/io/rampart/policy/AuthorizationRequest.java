package io.rampart.policy;

import io.rampart.common.AwsScope;

import java.util.Objects;

/**
 * One question to the policy engine: may this principal perform {@code action} (e.g. {@code iot:Publish}) on
 * {@code resource} (a full ARN such as {@code arn:aws:iot:us-east-1:123456789012:topic/a/b})?
 */
public record AuthorizationRequest(String action, String resource, RequestContext context) {
    public AuthorizationRequest {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(context, "context");
    }

    /** {@code iot:Connect} on {@code client/<clientId>}; the context must carry the client id. */
    public static AuthorizationRequest connect(AwsScope scope, RequestContext context) {
        String clientId = context.clientId()
                .orElseThrow(() -> new IllegalArgumentException("an iot:Connect request needs a client id"));
        return new AuthorizationRequest("iot:Connect", scope.arn("client", clientId), context);
    }

    /** {@code iot:Publish} on {@code topic/<topic>}. */
    public static AuthorizationRequest publish(AwsScope scope, String topic, RequestContext context) {
        return new AuthorizationRequest("iot:Publish", scope.arn("topic", topic), context);
    }

    /** {@code iot:Receive} on {@code topic/<topic>} (checked per delivered message). */
    public static AuthorizationRequest receive(AwsScope scope, String topic, RequestContext context) {
        return new AuthorizationRequest("iot:Receive", scope.arn("topic", topic), context);
    }

    /** {@code iot:RetainPublish} on {@code topic/<topic>}. */
    public static AuthorizationRequest retainPublish(AwsScope scope, String topic, RequestContext context) {
        return new AuthorizationRequest("iot:RetainPublish", scope.arn("topic", topic), context);
    }

    /** {@code iot:Subscribe} on {@code topicfilter/<filter>}; MQTT wildcards in the filter are literal here. */
    public static AuthorizationRequest subscribe(AwsScope scope, String topicFilter, RequestContext context) {
        return new AuthorizationRequest("iot:Subscribe", scope.arn("topicfilter", topicFilter), context);
    }

    /** A thing-scoped action (shadow, jobs, e.g. {@code iot:UpdateThingShadow}) on {@code thing/<thingName>}. */
    public static AuthorizationRequest onThing(String action, AwsScope scope, String thingName, RequestContext context) {
        return new AuthorizationRequest(action, scope.arn("thing", thingName), context);
    }
}
