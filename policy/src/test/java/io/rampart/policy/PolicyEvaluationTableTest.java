package io.rampart.policy;

import io.rampart.common.AwsScope;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The evaluation table in {@code policy-evaluation-cases.csv}: AWS's documented example policies, each asked the
 * questions the documentation answers, plus hostile client ids and group Deny precedence.
 */
class PolicyEvaluationTableTest {
    static final AwsScope SCOPE = new AwsScope("us-east-1", "123456789012");
    static final Instant DEFAULT_TIME = Instant.parse("2025-06-01T00:00:00Z");
    private final PolicyEngine engine = new PolicyEngine(SCOPE, Clock.fixed(DEFAULT_TIME, ZoneOffset.UTC));

    @ParameterizedTest(name = "{0}")
    @CsvFileSource(resources = "/policy-evaluation-cases.csv", delimiter = '|')
    void evaluatesLikeAwsIot(String description, String policies, String action, String resource, String context,
                             String expected) {
        List<NamedPolicy> named = new ArrayList<>();
        for (String name : policies.split("\\+")) {
            named.add(new NamedPolicy(name, "1", PolicyDocument.parse(resourceText("/policies/" + name + ".json"))));
        }
        String arn = resource.startsWith("arn:") ? resource : SCOPE.arnPrefix() + resource;

        Decision decision = engine.evaluate(named, new AuthorizationRequest(action, arn, context(context)));

        String outcome = switch (decision) {
            case Decision.Allowed allowed -> "ALLOW";
            case Decision.ExplicitDeny deny -> "DENY";
            case Decision.ImplicitDeny implicit -> "IMPLICIT";
        };
        assertThat(outcome).as(description).isEqualTo(expected);
    }

    static RequestContext context(String spec) {
        RequestContext.Builder builder = RequestContext.builder();
        String thingName = null;
        boolean attached = true;
        String type = null;
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String entry : spec.split(";")) {
            int eq = entry.indexOf('=');
            String key = entry.substring(0, eq).trim();
            String value = entry.substring(eq + 1).trim();
            switch (key) {
                case "client" -> builder.clientId(value);
                case "thing" -> {
                    attached = !value.endsWith("!");
                    thingName = attached ? value : value.substring(0, value.length() - 1);
                }
                case "type" -> type = value;
                case "ip" -> builder.sourceIp(value);
                case "time" -> builder.time(Instant.parse(value));
                case "cert" -> builder.certificate(CertificateFixtures.named(value));
                default -> {
                    if (!key.startsWith("attr.")) {
                        throw new IllegalArgumentException("unknown context entry: " + entry);
                    }
                    attributes.put(key.substring("attr.".length()), value);
                }
            }
        }
        if (thingName != null) {
            builder.thing(new ThingContext(thingName, Optional.ofNullable(type), attributes, attached));
        }
        return builder.build();
    }

    static String resourceText(String path) {
        try (InputStream in = PolicyEvaluationTableTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
