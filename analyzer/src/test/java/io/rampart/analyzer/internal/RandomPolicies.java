package io.rampart.analyzer.internal;

import io.rampart.common.AwsScope;
import io.rampart.policy.AuthorizationRequest;
import io.rampart.policy.NamedPolicy;
import io.rampart.policy.PolicyDocument;
import io.rampart.policy.RequestContext;
import io.rampart.policy.ThingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Random policies, requesters and requests over a small alphabet, so that patterns, variables, wildcard client ids
 * and requests collide often. Deterministic per seed (jqwik supplies the seeds and reports the failing one).
 */
final class RandomPolicies {
    static final AwsScope SCOPE = new AwsScope("us-east-1", "123456789012");
    private static final String[] ACTIONS = {"iot:Publish", "iot:Subscribe", "iot:Receive", "iot:Connect", "iot:*",
            "iot:P*", "iot:?eceive", "*", "IOT:publish", "iot:Sub*", "iot:UpdateThingShadow"};
    private static final String[] REQUEST_ACTIONS = {"iot:Publish", "iot:publish", "IOT:SUBSCRIBE", "iot:Receive",
            "iot:Connect", "iot:Other", "iot:p#blish", "iot:UpdateThingShadow"};
    private static final String[] TYPES = {"topic", "topicfilter", "client", "thing"};
    private static final String[] PIECES = {"a", "b", "/", "+", "#", "*", "?", "ab", "${iot:ClientId}",
            "${iot:Connection.Thing.ThingName}", "${*}", "${?}"};
    private static final String[] CLIENT_IDS = {"a", "b", "ab", "a/b", "+", "#", "a/#", "*", "?", "${iot:ClientId}"};
    private static final String TEXT = "ab/+#*?";

    private final Random random;

    RandomPolicies(long seed) {
        this.random = new Random(seed);
    }

    List<NamedPolicy> policySet() {
        List<NamedPolicy> set = new ArrayList<>();
        int count = 1 + random.nextInt(2);
        for (int i = 0; i < count; i++) {
            set.add(new NamedPolicy("p" + i, "1", PolicyDocument.parse(document())));
        }
        return set;
    }

    /** The set plus one more policy of Allow statements only: never less permissive, often strictly more. */
    List<NamedPolicy> widened(List<NamedPolicy> set) {
        List<NamedPolicy> wider = new ArrayList<>(set);
        String extra;
        do {
            extra = document();
        } while (extra.contains("\"Deny\""));
        wider.add(new NamedPolicy("wider", "1", PolicyDocument.parse(extra)));
        return wider;
    }

    String document() {
        List<String> statements = new ArrayList<>();
        int count = 1 + random.nextInt(4);
        for (int i = 0; i < count; i++) {
            statements.add(statement());
        }
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    private String statement() {
        String effect = random.nextInt(3) == 0 ? "Deny" : "Allow";
        String actionKey = random.nextInt(7) == 0 ? "NotAction" : "Action";
        String resourceKey = random.nextInt(7) == 0 ? "NotResource" : "Resource";
        List<String> actions = new ArrayList<>();
        for (int i = 0, n = 1 + random.nextInt(2); i < n; i++) {
            actions.add(quote(ACTIONS[random.nextInt(ACTIONS.length)]));
        }
        List<String> resources = new ArrayList<>();
        for (int i = 0, n = 1 + random.nextInt(2); i < n; i++) {
            resources.add(quote(resourcePattern()));
        }
        String condition = "";
        if (random.nextInt(6) == 0) {
            String operator = List.of("StringEquals", "StringLike", "StringNotEquals", "StringNotLike")
                    .get(random.nextInt(4));
            String value = random.nextBoolean() ? CLIENT_IDS[random.nextInt(CLIENT_IDS.length)] : body(3);
            condition = ",\"Condition\":{\"" + operator + "\":{\"iot:ClientId\":" + quote(value) + "}}";
        }
        return "{\"Effect\":\"" + effect + "\",\"" + actionKey + "\":[" + String.join(",", actions) + "],\""
                + resourceKey + "\":[" + String.join(",", resources) + "]" + condition + "}";
    }

    private String resourcePattern() {
        int shape = random.nextInt(10);
        if (shape == 0) {
            return "*";
        }
        if (shape == 1) {
            return "arn:aws:iot:*:" + SCOPE.accountId() + ":" + body(3);
        }
        return SCOPE.arnPrefix() + TYPES[random.nextInt(TYPES.length)] + "/" + body(4);
    }

    private String body(int maxPieces) {
        StringBuilder b = new StringBuilder();
        for (int i = 0, n = random.nextInt(maxPieces + 1); i < n; i++) {
            b.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return b.toString();
    }

    RequestContext requester() {
        String id = CLIENT_IDS[random.nextInt(CLIENT_IDS.length)];
        RequestContext.Builder builder = RequestContext.builder().clientId(id);
        switch (random.nextInt(3)) {
            case 0 -> builder.thing(ThingContext.attached(id));
            case 1 -> builder.thing(new ThingContext(id, Optional.empty(), java.util.Map.of(), false));
            default -> {
            }
        }
        return builder.build();
    }

    /** A random request for the requester; half of them instantiate a pattern of the policies, to hit matches. */
    AuthorizationRequest request(List<List<NamedPolicy>> sets, RequestContext requester) {
        String action = REQUEST_ACTIONS[random.nextInt(REQUEST_ACTIONS.length)];
        String resource;
        if (random.nextBoolean()) {
            List<String> patterns = new ArrayList<>();
            sets.forEach(set -> set.forEach(p -> p.document().statements().forEach(s -> patterns.addAll(s.resources()))));
            resource = instantiate(patterns.get(random.nextInt(patterns.size())), requester);
        } else {
            resource = SCOPE.arnPrefix() + TYPES[random.nextInt(TYPES.length)] + "/" + text(5);
        }
        return new AuthorizationRequest(action, resource, requester);
    }

    private String instantiate(String pattern, RequestContext requester) {
        String id = requester.clientId().orElse("");
        String text = pattern.replace("${iot:ClientId}", id).replace("${iot:Connection.Thing.ThingName}", id)
                .replace("${*}", "*").replace("${?}", "?");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '*' && random.nextInt(3) > 0) {
                b.append(text(2));
            } else if (c == '?' && random.nextInt(3) > 0) {
                b.append(TEXT.charAt(random.nextInt(TEXT.length())));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private String text(int max) {
        StringBuilder b = new StringBuilder();
        for (int i = 0, n = random.nextInt(max + 1); i < n; i++) {
            b.append(TEXT.charAt(random.nextInt(TEXT.length())));
        }
        return b.toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
