package io.rampart.policy;

import io.rampart.common.AwsScope;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyEngineBasicsTest {
    private static final AwsScope SCOPE = new AwsScope("us-east-1", "123456789012");
    private final PolicyEngine engine =
            new PolicyEngine(SCOPE, Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC));

    private static NamedPolicy policy(String name, String json) {
        return new NamedPolicy(name, "1", PolicyDocument.parse(json));
    }

    @Test
    void explicitDenyInAnyPolicyBeatsAllowInAnother() {
        NamedPolicy allow = policy("allow-all", """
                {"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iot:*","Resource":"*"}}""");
        NamedPolicy deny = policy("group-deny", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iot:Publish",
                 "Resource":"arn:aws:iot:us-east-1:123456789012:topic/secret/*"}]}""");
        RequestContext context = RequestContext.builder().clientId("dev1").build();

        Decision decision = engine.evaluate(List.of(allow, deny),
                AuthorizationRequest.publish(SCOPE, "secret/x", context));

        assertThat(decision).isEqualTo(new Decision.ExplicitDeny(List.of(new StatementMatch("group-deny", 1))));
    }

    @Test
    void clientIdIsSubstitutedLiterallyNeverAsAWildcard() {
        NamedPolicy own = policy("own", """
                {"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iot:Publish",
                 "Resource":"arn:aws:iot:us-east-1:123456789012:topic/devices/${iot:ClientId}"}}""");
        RequestContext star = RequestContext.builder().clientId("*").build();

        assertThat(engine.evaluate(List.of(own), AuthorizationRequest.publish(SCOPE, "devices/other", star)))
                .isEqualTo(new Decision.ImplicitDeny());
        assertThat(engine.evaluate(List.of(own), AuthorizationRequest.publish(SCOPE, "devices/*", star)).isAllowed())
                .isTrue();
    }
}
