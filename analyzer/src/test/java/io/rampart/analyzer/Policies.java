package io.rampart.analyzer;

import io.rampart.common.AwsScope;
import io.rampart.policy.NamedPolicy;
import io.rampart.policy.PolicyDocument;

import java.util.List;

/** Test policies written compactly: statements as JSON with {@code ARN:} standing for the scope's ARN prefix. */
final class Policies {
    static final AwsScope SCOPE = new AwsScope("us-east-1", "123456789012");

    private Policies() {
    }

    static List<NamedPolicy> of(String... statements) {
        String json = "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
        return List.of(new NamedPolicy("p", "1", PolicyDocument.parse(json.replace("ARN:", SCOPE.arnPrefix()))));
    }

    static String allow(String actions, String resources) {
        return "{\"Effect\":\"Allow\",\"Action\":" + actions + ",\"Resource\":" + resources + "}";
    }

    static String deny(String actions, String resources) {
        return "{\"Effect\":\"Deny\",\"Action\":" + actions + ",\"Resource\":" + resources + "}";
    }

    /** A per-thing policy confining a device to devices/<id>, its own shadow and jobs. */
    static List<NamedPolicy> perThing() {
        return of(
                allow("\"iot:Connect\"", "\"ARN:client/${iot:Connection.Thing.ThingName}\""),
                allow("[\"iot:Publish\",\"iot:Receive\",\"iot:RetainPublish\"]",
                        "[\"ARN:topic/devices/${iot:ClientId}/*\","
                                + "\"ARN:topic/$aws/things/${iot:Connection.Thing.ThingName}/shadow/*\","
                                + "\"ARN:topic/$aws/things/${iot:Connection.Thing.ThingName}/jobs/*\"]"),
                allow("\"iot:Subscribe\"", "[\"ARN:topicfilter/devices/${iot:ClientId}/*\","
                        + "\"ARN:topicfilter/$aws/things/${iot:Connection.Thing.ThingName}/shadow/*\","
                        + "\"ARN:topicfilter/$aws/things/${iot:Connection.Thing.ThingName}/jobs/*\"]"),
                allow("[\"iot:GetThingShadow\",\"iot:UpdateThingShadow\",\"iot:*JobExecution*\"]",
                        "\"ARN:thing/${iot:Connection.Thing.ThingName}\""));
    }
}
