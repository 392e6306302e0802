package io.rampart.analyzer.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rampart.common.AwsScope;
import io.rampart.common.Json;
import io.rampart.policy.AuthorizationRequest;
import io.rampart.policy.Condition;
import io.rampart.policy.Decision;
import io.rampart.policy.Effect;
import io.rampart.policy.NamedPolicy;
import io.rampart.policy.PolicyDocument;
import io.rampart.policy.PolicyEngine;
import io.rampart.policy.PolicyLimits;
import io.rampart.policy.RequestContext;
import io.rampart.policy.Statement;
import io.rampart.policy.SubstitutionMode;
import io.rampart.policy.internal.ContextKey;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Compiles policies, for one requester, into the {@link Formula} of the requests they allow:
 * {@code (any Allow statement matches) and not (any Deny statement matches)}, where a statement matches when its
 * action patterns (or, with NotAction, none of them), its resource patterns (or, with NotResource, none) and all
 * its conditions match. This mirrors {@link PolicyEngine} rule for rule:
 * <ul>
 *   <li>actions are folded to lower case; resources are case-sensitive; {@code *} and {@code ?} are the only
 *       wildcards; {@code ${*}}, {@code ${?}}, {@code ${$}} are plain characters;</li>
 *   <li>a variable is replaced by the requester's value as literal characters; a missing, multi-valued or refused
 *       value (the {@link SubstitutionMode} rules) makes its element match nothing, and makes an Allow statement
 *       with NotResource match nothing;</li>
 *   <li>conditions depend only on the requester (never on action or resource), so for a fixed requester each
 *       statement's condition block is a constant; it is computed by the engine itself on that requester, so there
 *       is one implementation of IAM's condition rules.</li>
 * </ul>
 * What cannot be fixed by the requester (a key the assumptions leave open) is reported as unsupported, naming the
 * statement and the construct.
 */
public final class PolicyCompiler {
    private static final String LEGACY_VERSION = "2008-10-17";
    /** Keys a symbolic device pins down: its client id and the thing of that name (attached or not). */
    private static final Set<String> DEVICE_KEYS =
            Set.of("iot:clientid", "iot:connection.thing.thingname", "iot:connection.thing.isattached");
    private static final Set<String> TIME_KEYS = Set.of("aws:currenttime", "aws:epochtime");

    private final AwsScope scope;
    private final SubstitutionMode mode;
    private final boolean symbolicDevice;
    private final ObjectMapper mapper = Json.newMapper();

    /** The compiled language, or the constructs that prevented an exact compilation. */
    public record Compiled(Formula allowed, List<String> unsupported) {
        public Compiled {
            unsupported = List.copyOf(unsupported);
        }
    }

    /**
     * @param symbolicDevice true when the requester stands for "any device" (only its client id and thing name are
     *                       known); keys beyond those are then unsupported instead of taken from the context
     */
    public PolicyCompiler(AwsScope scope, SubstitutionMode mode, boolean symbolicDevice) {
        this.scope = scope;
        this.mode = mode;
        this.symbolicDevice = symbolicDevice;
    }

    /** Well-formed request strings: a lower-case action, the separator, any resource. */
    public static Formula wellFormed() {
        return Formula.atom(Pattern.action(Pattern.builder().token(Pattern.LOWER_STAR).build()));
    }

    /** The requests the policies allow for this requester. */
    public Compiled compile(List<NamedPolicy> policies, RequestContext requester) {
        Set<String> unsupported = new LinkedHashSet<>();
        List<Formula> allows = new ArrayList<>();
        List<Formula> denies = new ArrayList<>();
        for (NamedPolicy policy : policies) {
            boolean variables = substitutesVariables(policy.document());
            for (Statement statement : policy.document().statements()) {
                String where = "policy '" + policy.name() + "' statement " + statement.index();
                Formula matches = statement(policy.document(), statement, variables, requester, where, unsupported);
                (statement.effect() == Effect.ALLOW ? allows : denies).add(matches);
            }
        }
        Formula allowed = Formula.and(wellFormed(), Formula.or(allows), Formula.not(Formula.or(denies)));
        return new Compiled(allowed, List.copyOf(unsupported));
    }

    private Formula statement(PolicyDocument document, Statement statement, boolean variables, RequestContext requester,
                              String where, Set<String> unsupported) {
        if (!statement.conditions().isEmpty()) {
            for (Condition condition : statement.conditions()) {
                checkKey(ContextKey.parse(condition.key()), requester,
                        where + ": Condition " + condition.operator() + " on " + condition.key(), unsupported);
                for (String value : condition.values()) {
                    for (Object part : Templates.parts(value, variables)) {
                        if (part instanceof ContextKey key) {
                            checkKey(key, requester, where + ": Condition " + condition.operator() + " value "
                                    + value, unsupported);
                        }
                    }
                }
            }
            if (!conditionsHold(document, statement, requester)) {
                return Formula.FALSE;
            }
        }
        Formula action = actions(statement);

        List<Formula> resources = new ArrayList<>();
        boolean unresolved = false;
        for (String resource : statement.resources()) {
            Pattern pattern = resource(resource, variables, statement.effect(), requester,
                    where + ": " + (statement.notResource() ? "NotResource " : "Resource ") + resource, unsupported);
            if (pattern == null) {
                unresolved = true;
                resources.add(Formula.FALSE);
            } else {
                resources.add(Formula.atom(Pattern.resource(pattern)));
            }
        }
        Formula resource;
        if (statement.notResource()) {
            if (unresolved && statement.effect() == Effect.ALLOW) {
                // The engine: an unresolvable NotResource element must not turn into "everything else" for an Allow.
                return Formula.FALSE;
            }
            resource = Formula.not(Formula.or(resources));
        } else {
            resource = Formula.or(resources);
        }
        return Formula.and(action, resource);
    }

    /** The resource as a pattern with variables substituted literally, or null when a variable does not resolve. */
    private Pattern resource(String text, boolean variables, Effect effect, RequestContext requester, String where,
                             Set<String> unsupported) {
        Pattern.Builder builder = Pattern.builder();
        for (Object part : Templates.parts(text, variables)) {
            switch (part) {
                case String literal -> builder.glob(literal);
                case Character escaped -> builder.token(escaped);
                case ContextKey key -> {
                    checkKey(key, requester, where, unsupported);
                    String value = substitution(key, effect, requester);
                    if (value == null) {
                        return null;
                    }
                    builder.literal(value);
                }
                default -> throw new IllegalStateException("unexpected template part " + part);
            }
        }
        return builder.build();
    }

    /** True when the document's version substitutes policy variables (the legacy 2008-10-17 version does not). */
    public static boolean substitutesVariables(PolicyDocument document) {
        return !document.version().equals(LEGACY_VERSION);
    }

    /** The action patterns of a statement: the requests whose action it names (or, with NotAction, does not). */
    public static Formula actions(Statement statement) {
        List<Formula> actions = new ArrayList<>();
        for (String action : statement.actions()) {
            actions.add(Formula.atom(Pattern.action(Pattern.builder().glob(action.toLowerCase(Locale.ROOT)).build())));
        }
        return statement.notAction() ? Formula.not(Formula.or(actions)) : Formula.or(actions);
    }

    /**
     * A Resource element with the requester's values substituted, when what remains has no policy wildcard
     * ({@code *}, {@code ?}); empty when it has one or a variable does not resolve.
     */
    public Optional<String> literalResource(String text, boolean variables, Effect effect, RequestContext requester) {
        StringBuilder literal = new StringBuilder();
        for (Object part : Templates.parts(text, variables)) {
            switch (part) {
                case String glob -> {
                    if (glob.indexOf('*') >= 0 || glob.indexOf('?') >= 0) {
                        return Optional.empty();
                    }
                    literal.append(glob);
                }
                case Character escaped -> literal.append(escaped.charValue());
                case ContextKey key -> {
                    String value = substitution(key, effect, requester);
                    if (value == null) {
                        return Optional.empty();
                    }
                    literal.append(value);
                }
                default -> throw new IllegalStateException("unexpected template part " + part);
            }
        }
        return Optional.of(literal.toString());
    }

    /**
     * The resources a Resource element written with MQTT wildcards seems meant to cover, reading {@code +} as one
     * topic level and a final {@code /#} as the level before it and everything below (AWS IoT policies read both
     * literally, which is what IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK warns about). FALSE when a variable
     * does not resolve for the requester.
     */
    public Formula mqttIntent(String text, boolean variables, Effect effect, RequestContext requester) {
        List<Integer> tokens = new ArrayList<>();
        for (Object part : Templates.parts(text, variables)) {
            switch (part) {
                case String glob -> glob.chars().forEach(c -> tokens.add(switch (c) {
                    case '*', '#' -> Pattern.STAR;
                    case '?' -> Pattern.ANY;
                    case '+' -> Pattern.LEVEL_STAR;
                    default -> c;
                }));
                case Character escaped -> tokens.add((int) escaped);
                case ContextKey key -> {
                    String value = substitution(key, effect, requester);
                    if (value == null) {
                        return Formula.FALSE;
                    }
                    value.chars().forEach(tokens::add);
                }
                default -> throw new IllegalStateException("unexpected template part " + part);
            }
        }
        Pattern.Builder all = Pattern.builder();
        tokens.forEach(all::token);
        Formula intent = Formula.atom(Pattern.resource(all.build()));
        if (text.endsWith("/#") && tokens.size() >= 2) {
            // "a/#" also means the level "a" itself.
            Pattern.Builder parent = Pattern.builder();
            tokens.subList(0, tokens.size() - 2).forEach(parent::token);
            intent = Formula.or(intent, Formula.atom(Pattern.resource(parent.build())));
        }
        return intent;
    }

    private void checkKey(ContextKey key, RequestContext requester, String where, Set<String> unsupported) {
        String name = key.name().toLowerCase(Locale.ROOT);
        boolean certificateKey = key.fromCertificate() && requester.certificate().isPresent();
        if (symbolicDevice && !DEVICE_KEYS.contains(name) && !certificateKey) {
            unsupported.add(where + ": key " + key.name() + " is not fixed for 'any device'; analyze for a concrete"
                    + " requester (Assumptions.forRequester) that carries it");
        } else if (TIME_KEYS.contains(name) && requester.time().isEmpty()) {
            unsupported.add(where + ": key " + key.name() + " needs the request time; give the requester a time");
        }
    }

    /** The engine's substitution rule (RequestScope.substitution), for a fixed requester. */
    private String substitution(ContextKey key, Effect effect, RequestContext requester) {
        List<String> values = key.values(requester, requester.time().orElse(Instant.EPOCH));
        if (values == null || values.size() != 1) {
            return null;
        }
        String value = values.get(0);
        if (key.fromCertificate() && certificateValueRefused(value)) {
            return mode == SubstitutionMode.STRICT && effect == Effect.DENY ? value : null;
        }
        if (mode == SubstitutionMode.STRICT && effect == Effect.ALLOW
                && (value.indexOf('+') >= 0 || value.indexOf('#') >= 0)) {
            return null;
        }
        return value;
    }

    private static boolean certificateValueRefused(String value) {
        if (value.length() > ContextKey.CERTIFICATE_STRING_LIMIT) {
            return true;
        }
        for (int i = 0; i < value.length(); i++) {
            if ("*$+?#".indexOf(value.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Evaluates the statement's condition block alone, with the engine, for this requester. */
    private boolean conditionsHold(PolicyDocument document, Statement statement, RequestContext requester) {
        ObjectNode root = mapper.createObjectNode();
        root.put("Version", document.version());
        ObjectNode single = root.putObject("Statement");
        single.put("Effect", statement.effect().jsonName());
        single.put("Action", "*");
        single.put("Resource", "*");
        ObjectNode block = single.putObject("Condition");
        for (Condition condition : statement.conditions()) {
            ObjectNode operator = block.has(condition.operator())
                    ? (ObjectNode) block.get(condition.operator()) : block.putObject(condition.operator());
            ArrayNode values = operator.putArray(condition.key());
            condition.values().forEach(values::add);
        }
        PolicyDocument probe = PolicyDocument.parse(root.toString(), new PolicyLimits(Integer.MAX_VALUE));
        Clock clock = Clock.fixed(requester.time().orElse(Instant.EPOCH), ZoneOffset.UTC);
        PolicyEngine engine = new PolicyEngine(scope, clock, mode);
        Decision decision = engine.evaluate(List.of(new NamedPolicy("condition", "1", probe)),
                new AuthorizationRequest("iot:Connect", scope.arn("client", "condition-probe"), requester));
        return statement.effect() == Effect.ALLOW ? decision.isAllowed() : decision instanceof Decision.ExplicitDeny;
    }
}
