package io.rampart.bench.policy;

import io.rampart.common.AwsScope;
import io.rampart.policy.AuthorizationRequest;
import io.rampart.policy.Decision;
import io.rampart.policy.NamedPolicy;
import io.rampart.policy.PolicyDocument;
import io.rampart.policy.PolicyEngine;
import io.rampart.policy.RequestContext;
import io.rampart.policy.ThingContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Policy decisions per second for a realistic device policy: ten statements mixing Allow and Deny over connect,
 * publish, subscribe and receive, with thing-name and attribute variables and conditions, evaluated together with
 * a group policy, as the broker does for every packet.
 *
 * <p>{@code mixed} cycles through eight typical requests (allowed, explicitly denied, implicitly denied); the other
 * benchmarks isolate one request shape each.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class PolicyDecisionBenchmark {
    private static final AwsScope SCOPE = new AwsScope("eu-central-1", "123456789012");
    private static final String A = "arn:aws:iot:eu-central-1:123456789012:";

    static final String DEVICE_POLICY = """
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Effect": "Allow", "Action": "iot:Connect",
                 "Resource": "%1$sclient/${iot:Connection.Thing.ThingName}"},
                {"Effect": "Allow", "Action": "iot:Publish",
                 "Resource": ["%1$stopic/${iot:Connection.Thing.ThingName}/telemetry/*",
                              "%1$stopic/$aws/things/${iot:Connection.Thing.ThingName}/shadow/*"]},
                {"Effect": "Allow", "Action": "iot:Subscribe",
                 "Resource": ["%1$stopicfilter/${iot:Connection.Thing.ThingName}/commands/*",
                              "%1$stopicfilter/$aws/things/${iot:Connection.Thing.ThingName}/shadow/*"]},
                {"Effect": "Allow", "Action": "iot:Receive",
                 "Resource": ["%1$stopic/${iot:Connection.Thing.ThingName}/commands/*",
                              "%1$stopic/$aws/things/${iot:Connection.Thing.ThingName}/shadow/*"]},
                {"Effect": "Allow", "Action": "iot:Publish",
                 "Resource": "%1$stopic/site/${iot:Connection.Thing.Attributes[site]}/*",
                 "Condition": {"StringEquals": {"iot:Connection.Thing.ThingTypeName": "sensor"}}},
                {"Effect": "Deny", "Action": "iot:Publish",
                 "Resource": "%1$stopic/${iot:Connection.Thing.ThingName}/telemetry/debug"},
                {"Effect": "Deny", "Action": "iot:*",
                 "Resource": ["%1$stopic/admin/*", "%1$stopicfilter/admin/*"]},
                {"Effect": "Allow", "Action": "iot:Subscribe",
                 "Resource": "%1$stopicfilter/broadcast/*",
                 "Condition": {"Bool": {"iot:Connection.Thing.IsAttached": "true"}}},
                {"Effect": "Allow", "Action": "iot:Receive",
                 "Resource": "%1$stopic/broadcast/*"},
                {"Effect": "Deny", "Action": "iot:Connect", "Resource": "*",
                 "Condition": {"NotIpAddress": {"aws:SourceIp": ["10.0.0.0/8", "fd00::/8"]}}}
              ]
            }""".formatted(A);

    static final String GROUP_POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Deny", "Action": ["iot:Publish", "iot:Receive"], "Resource": "%1$stopic/quarantine/*"}]}
            """.formatted(A);

    private PolicyEngine engine;
    private List<NamedPolicy> policies;
    private AuthorizationRequest connect;
    private AuthorizationRequest publishAllowed;
    private AuthorizationRequest publishDenied;
    private AuthorizationRequest publishImplicitlyDenied;
    private AuthorizationRequest subscribe;
    private AuthorizationRequest receive;
    private AuthorizationRequest[] mix;
    private int next;

    @Setup
    public void setUp() {
        engine = new PolicyEngine(SCOPE, Clock.systemUTC());
        policies = List.of(
                new NamedPolicy("device", "3", PolicyDocument.parse(DEVICE_POLICY)),
                new NamedPolicy("fleet-group", "1", PolicyDocument.parse(GROUP_POLICY)));
        RequestContext context = RequestContext.builder()
                .clientId("sensor-0042")
                .sourceIp("10.20.30.40")
                .thing(new ThingContext("sensor-0042", Optional.of("sensor"), Map.of("site", "berlin-3"), true))
                .build();
        connect = AuthorizationRequest.connect(SCOPE, context);
        publishAllowed = AuthorizationRequest.publish(SCOPE, "sensor-0042/telemetry/temperature", context);
        publishDenied = AuthorizationRequest.publish(SCOPE, "sensor-0042/telemetry/debug", context);
        publishImplicitlyDenied = AuthorizationRequest.publish(SCOPE, "sensor-0043/telemetry/temperature", context);
        subscribe = AuthorizationRequest.subscribe(SCOPE, "$aws/things/sensor-0042/shadow/update/delta", context);
        receive = AuthorizationRequest.receive(SCOPE, "broadcast/firmware", context);
        mix = new AuthorizationRequest[] {
                connect, publishAllowed, publishDenied, publishImplicitlyDenied, subscribe, receive,
                AuthorizationRequest.publish(SCOPE, "site/berlin-3/air", context),
                AuthorizationRequest.subscribe(SCOPE, "admin/#", context)};
        requireOutcome(connect, true);
        requireOutcome(publishAllowed, true);
        requireOutcome(publishDenied, false);
        requireOutcome(publishImplicitlyDenied, false);
        requireOutcome(subscribe, true);
        requireOutcome(receive, true);
    }

    /** A benchmark of a wrong answer is worthless: check the policy decides as intended before measuring. */
    private void requireOutcome(AuthorizationRequest request, boolean allowed) {
        if (engine.evaluate(policies, request).isAllowed() != allowed) {
            throw new IllegalStateException("unexpected decision for " + request.resource());
        }
    }

    @Benchmark
    public Decision mixed() {
        AuthorizationRequest request = mix[next];
        next = (next + 1) & 7;
        return engine.evaluate(policies, request);
    }

    @Benchmark
    public Decision connect() {
        return engine.evaluate(policies, connect);
    }

    @Benchmark
    public Decision publishAllowed() {
        return engine.evaluate(policies, publishAllowed);
    }

    @Benchmark
    public Decision publishExplicitlyDenied() {
        return engine.evaluate(policies, publishDenied);
    }

    @Benchmark
    public Decision publishImplicitlyDenied() {
        return engine.evaluate(policies, publishImplicitlyDenied);
    }

    @Benchmark
    public Decision subscribe() {
        return engine.evaluate(policies, subscribe);
    }

    @Benchmark
    public Decision receive() {
        return engine.evaluate(policies, receive);
    }
}
