package io.rampart.policy;

import io.rampart.common.AwsScope;
import io.rampart.policy.internal.Glob;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Properties of the matcher and the engine, checked against independent reference implementations. */
class PolicyPropertiesTest {
    private static final AwsScope SCOPE = new AwsScope("us-east-1", "123456789012");
    private static final String A = SCOPE.arnPrefix();
    private final Clock clock = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final PolicyEngine strict = new PolicyEngine(SCOPE, clock);
    private final PolicyEngine aws = new PolicyEngine(SCOPE, clock, SubstitutionMode.AWS_COMPATIBLE);

    /** Short strings over an alphabet rich in the characters that matter: wildcards, MQTT wildcards, separators. */
    @Provide
    Arbitrary<String> patterns() {
        return Arbitraries.strings().withChars("ab/*?+#$").ofMaxLength(8);
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.strings().withChars("ab/*?+#$").ofMaxLength(10);
    }

    /** The reference: the same glob translated to a java.util.regex pattern. */
    private static Pattern reference(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    @Property(tries = 2000)
    void globMatchesExactlyLikeTheEquivalentRegex(@ForAll("patterns") String pattern, @ForAll("texts") String text) {
        assertThat(Glob.matches(Glob.compile(pattern), text))
                .as("pattern %s on %s", pattern, text)
                .isEqualTo(reference(pattern).matcher(text).matches());
    }

    @Property(tries = 1000)
    void substitutedClientIdsNeverWidenPublishPermissions(@ForAll("texts") String clientId,
                                                          @ForAll("texts") String topic) {
        NamedPolicy policy = new NamedPolicy("p", "1", PolicyDocument.parse("{\"Version\":\"2012-10-17\",\"Statement\":"
                + "{\"Effect\":\"Allow\",\"Action\":\"iot:Publish\",\"Resource\":\"" + A
                + "topic/devices/${iot:ClientId}/*\"}}"));
        RequestContext context = RequestContext.builder().clientId(clientId).build();

        for (PolicyEngine engine : List.of(strict, aws)) {
            boolean allowed = engine.evaluate(List.of(policy),
                    AuthorizationRequest.publish(SCOPE, "devices/" + topic, context)).isAllowed();
            // Whatever the client id contains, it only ever grants its own literal prefix.
            if (allowed) {
                assertThat(topic).startsWith(clientId + "/");
            }
        }
    }

    @Property(tries = 1000)
    void strictSubstitutionNeverGrantsAnMqttWildcardFilter(@ForAll("texts") String clientId,
                                                            @ForAll("texts") String filter) {
        NamedPolicy policy = new NamedPolicy("p", "1", PolicyDocument.parse("{\"Version\":\"2012-10-17\",\"Statement\":"
                + "{\"Effect\":\"Allow\",\"Action\":\"iot:Subscribe\",\"Resource\":\"" + A
                + "topicfilter/my/${iot:ClientId}/topic\"}}"));
        RequestContext context = RequestContext.builder().clientId(clientId).build();

        boolean allowed = strict.evaluate(List.of(policy),
                AuthorizationRequest.subscribe(SCOPE, "my/" + filter + "/topic", context)).isAllowed();

        boolean ownLiteralFilter = filter.equals(clientId) && !clientId.contains("+") && !clientId.contains("#");
        assertThat(allowed).isEqualTo(ownLiteralFilter);
    }

    /** One generated statement, each placed in its own policy. */
    record Rule(boolean deny, String action, String resourcePattern) {
    }

    @Provide
    Arbitrary<List<Rule>> rules() {
        Arbitrary<Rule> rule = Combinators.combine(
                Arbitraries.of(true, false),
                Arbitraries.of("iot:Publish", "iot:Receive", "iot:*", "IOT:publish", "iot:P*", "iot:?eceive"),
                patterns()).as(Rule::new);
        return rule.list().ofMaxSize(6);
    }

    @Property(tries = 1000)
    void explicitDenyAlwaysWinsAndAllowNeedsAMatch(@ForAll("rules") List<Rule> rules,
                                                   @ForAll("texts") String topic,
                                                   @ForAll boolean publish) {
        String action = publish ? "iot:Publish" : "iot:Receive";
        List<NamedPolicy> policies = new ArrayList<>();
        List<StatementMatch> expectedDenies = new ArrayList<>();
        List<StatementMatch> expectedAllows = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            String name = "policy-" + i;
            policies.add(new NamedPolicy(name, "1", PolicyDocument.parse("{\"Version\":\"2012-10-17\",\"Statement\":"
                    + "{\"Effect\":\"" + (rule.deny() ? "Deny" : "Allow") + "\",\"Action\":\"" + rule.action()
                    + "\",\"Resource\":\"" + A + "topic/" + rule.resourcePattern().replace("$", "${$}") + "\"}}")));
            boolean matches = reference(rule.action().toLowerCase(Locale.ROOT)).matcher(action.toLowerCase(Locale.ROOT))
                    .matches() && reference(rule.resourcePattern()).matcher(topic).matches();
            if (matches) {
                (rule.deny() ? expectedDenies : expectedAllows).add(new StatementMatch(name, 1));
            }
        }

        Decision decision = strict.evaluate(policies,
                new AuthorizationRequest(action, A + "topic/" + topic, RequestContext.empty()));

        Decision expected = !expectedDenies.isEmpty() ? new Decision.ExplicitDeny(expectedDenies)
                : !expectedAllows.isEmpty() ? new Decision.Allowed(expectedAllows)
                : new Decision.ImplicitDeny();
        assertThat(decision).isEqualTo(expected);
    }
}
