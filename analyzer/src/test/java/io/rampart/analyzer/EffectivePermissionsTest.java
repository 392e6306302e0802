package io.rampart.analyzer;

import io.rampart.policy.CertificateContext;
import io.rampart.policy.Decision;
import io.rampart.policy.NamedPolicy;
import io.rampart.policy.PolicyDocument;
import io.rampart.policy.PolicyEngine;
import io.rampart.policy.RequestContext;
import io.rampart.policy.StatementMatch;
import io.rampart.policy.SubstitutionMode;
import io.rampart.policy.ThingContext;
import io.rampart.policy.AuthorizationRequest;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static io.rampart.analyzer.Policies.SCOPE;
import static io.rampart.analyzer.Policies.allow;
import static org.assertj.core.api.Assertions.assertThat;

class EffectivePermissionsTest {
    private final PolicyAnalyzer analyzer = new PolicyAnalyzer();
    private final Assumptions strict = Assumptions.anyDevice(SCOPE, SubstitutionMode.STRICT);
    private static final CertificateContext LAMP_CERTIFICATE = new CertificateContext(
            Map.of("CommonName", List.of("lamp-1")), Map.of("CommonName", List.of("Rampart CA")), Map.of(), Map.of(),
            "42", Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"), "c0ffee");

    private static NamedPolicy named(String name, String... statements) {
        String json = "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
        return new NamedPolicy(name, "1", PolicyDocument.parse(json.replace("ARN:", SCOPE.arnPrefix())));
    }

    private static boolean allows(List<NamedPolicy> policies, AuthorizationRequest request) {
        return new PolicyEngine(SCOPE, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), SubstitutionMode.STRICT)
                .evaluate(policies, request).isAllowed();
    }

    @Test
    void aThingGroupPolicyWidensWhatTheCertificateAllowsWhenConnectingAsTheThing() {
        NamedPolicy device = Policies.perThing().get(0);
        NamedPolicy fleet = named("fleet-wide", allow("\"iot:Publish\"", "\"ARN:topic/*\""));
        ThingContext lamp = ThingContext.attached("lamp-1");
        EffectivePermissions certificate = EffectivePermissions.ofCertificate(
                new EffectivePermissions.Certificate("c0ffee", LAMP_CERTIFICATE, List.of(device)),
                Map.of(lamp, List.of(fleet)));

        assertThat(analyzer.checkOverlyPermissive(List.of(device), strict)).isInstanceOf(Verdict.Proved.class);
        Verdict verdict = analyzer.checkOverlyPermissive(certificate, strict);

        assertThat(verdict).isInstanceOf(Verdict.Counterexample.class);
        Verdict.Counterexample found = (Verdict.Counterexample) verdict;
        assertThat(found.explanation()).startsWith("certificate c0ffee as thing lamp-1: ");
        assertThat(found.request().context().clientId()).contains("lamp-1");
        assertThat(allows(List.of(device, fleet), found.request())).isTrue();
        assertThat(allows(List.of(device), found.request())).isFalse();
    }

    @Test
    void aThingIsIsolatedWhenEveryCertificateKeepsItInItsNamespace() {
        ThingContext lamp = ThingContext.attached("lamp-1");
        EffectivePermissions thing = EffectivePermissions.ofThing(lamp, List.of(), List.of(
                new EffectivePermissions.Certificate("c0ffee", LAMP_CERTIFICATE, Policies.perThing())));

        IsolationReport report = analyzer.checkDeviceIsolation(thing, new IsolationSpec("devices"), strict);

        assertThat(report.isolated()).isTrue();
        assertThat(((Verdict.Proved) report.verdict(IsolationCheck.PUBLISH_OUTSIDE_NAMESPACE)).requesters())
                .singleElement().asString().startsWith("certificate c0ffee as thing lamp-1: ");
    }

    @Test
    void certificateVariablesAreDecidedWhenTheCertificateIsKnown() {
        NamedPolicy byCommonName = named("by-cn", allow("\"iot:Publish\"",
                "\"ARN:topic/devices/${iot:Certificate.Subject.CommonName}/*\""));
        EffectivePermissions certificate = EffectivePermissions.ofCertificate(
                new EffectivePermissions.Certificate("c0ffee", LAMP_CERTIFICATE, List.of(byCommonName)), Map.of());

        // Without the certificate, "any device" cannot fix the common name.
        assertThat(analyzer.isSubsetOf(List.of(byCommonName), List.of(), strict))
                .isInstanceOf(Verdict.Unsupported.class);
        Verdict verdict = analyzer.isSubsetOf(certificate, List.of(named("lamp-topics",
                allow("\"iot:Publish\"", "\"ARN:topic/devices/lamp-1/*\""))), strict);
        assertThat(verdict).isInstanceOf(Verdict.Proved.class);
    }

    @Test
    void aThingGroupIsAnalyzedWithItsInheritedPolicies() {
        NamedPolicy parent = named("parent", allow("\"iot:Subscribe\"", "\"ARN:topicfilter/*\""));
        NamedPolicy own = named("own", allow("\"iot:Connect\"", "\"ARN:client/${iot:Connection.Thing.ThingName}\""));
        EffectivePermissions group = EffectivePermissions.ofThingGroup("lamps", List.of(own, parent));

        IsolationReport report = analyzer.checkDeviceIsolation(group, new IsolationSpec("devices"), strict);

        assertThat(report.verdict(IsolationCheck.ROOT_WILDCARD_SUBSCRIBE)).isInstanceOf(Verdict.Counterexample.class);
        assertThat(((Verdict.Counterexample) report.verdict(IsolationCheck.ROOT_WILDCARD_SUBSCRIBE)).explanation())
                .startsWith("a device in thing group lamps: ");
        assertThat(report.verdict(IsolationCheck.CONNECT_AS_OTHER_CLIENT)).isInstanceOf(Verdict.Proved.class);
    }

    @Test
    void explainGivesTheEngineDecisionWithItsStatementsAndTheAnalyzersAgreement() {
        List<NamedPolicy> policies = Policies.perThing();
        RequestContext lamp = RequestContext.builder().clientId("lamp-1").thing(ThingContext.attached("lamp-1")).build();
        Clock clock = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);

        PolicyExplanation own = analyzer.explain(policies, AuthorizationRequest.publish(SCOPE, "devices/lamp-1/state",
                lamp), SCOPE, SubstitutionMode.STRICT, clock);
        PolicyExplanation other = analyzer.explain(policies, AuthorizationRequest.publish(SCOPE, "devices/lamp-2/state",
                lamp), SCOPE, SubstitutionMode.STRICT, clock);

        assertThat(own.decision()).isEqualTo(new Decision.Allowed(List.of(new StatementMatch("p", 2))));
        assertThat(own.analyzerAllows()).contains(true);
        assertThat(own.agrees()).isTrue();
        assertThat(own.request().context().time()).contains(clock.instant());
        assertThat(other.decision()).isInstanceOf(Decision.ImplicitDeny.class);
        assertThat(other.analyzerAllows()).contains(false);
        assertThat(other.agrees()).isTrue();
    }
}
