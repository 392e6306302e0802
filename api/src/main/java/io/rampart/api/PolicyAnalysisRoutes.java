package io.rampart.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rampart.analyzer.Assumptions;
import io.rampart.analyzer.EffectivePermissions;
import io.rampart.analyzer.IsolationCheck;
import io.rampart.analyzer.IsolationReport;
import io.rampart.analyzer.IsolationSpec;
import io.rampart.analyzer.PolicyAnalyzer;
import io.rampart.analyzer.PolicyAudit;
import io.rampart.analyzer.PolicyClassification;
import io.rampart.analyzer.PolicyDiff;
import io.rampart.analyzer.PolicyExplanation;
import io.rampart.analyzer.Verdict;
import io.rampart.common.AwsScope;
import io.rampart.common.RampartException;
import io.rampart.policy.AuthorizationRequest;
import io.rampart.policy.Decision;
import io.rampart.policy.NamedPolicy;
import io.rampart.policy.PolicyDocument;
import io.rampart.policy.RequestContext;
import io.rampart.policy.Statement;
import io.rampart.policy.StatementMatch;
import io.rampart.policy.SubstitutionMode;
import io.rampart.policy.ThingContext;
import io.rampart.registry.ConnectionPolicies;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rampart's policy analysis (AWS has no public equivalent, so the paths are Rampart's): analyze a policy or the
 * effective policies of a certificate, thing or thing group; diff two policies or versions; explain one request.
 * Every answer is PROVED, a COUNTEREXAMPLE request the policy engine decides as stated, or UNSUPPORTED naming the
 * construct. They change nothing, so read-only keys may call them.
 */
final class PolicyAnalysisRoutes implements RouteGroup {
    /** The checks AnalyzePolicy runs. */
    enum Check { OVERLY_PERMISSIVE, DEVICE_ISOLATION, REFERENCE, AUDIT }

    private static final Pattern STATEMENT = Pattern.compile("^(.*?policy '[^']*' statement \\d+): (.*)$", Pattern.DOTALL);
    private static final List<String> SUBJECTS = List.of("policyName", "policyDocument", "certificateId", "thingName",
            "thingGroupName");

    private final AwsScope scope;
    private final SubstitutionMode nodeMode;
    private final PolicyAnalyzer analyzer = new PolicyAnalyzer();

    PolicyAnalysisRoutes(AwsScope scope, SubstitutionMode nodeMode) {
        this.scope = scope;
        this.nodeMode = nodeMode;
    }

    @Override
    public List<Route> routes(ApiServices services) {
        PolicyTargets targets = new PolicyTargets(services.registry(), scope);
        return List.of(
                Route.read("POST", "/rampart/policy-analysis/analyze", "AnalyzePolicy",
                        request -> ApiResponse.ok(analyze(targets, request.body()))),
                Route.read("POST", "/rampart/policy-analysis/diff", "DiffPolicies",
                        request -> ApiResponse.ok(diff(targets, request.body()))),
                Route.read("POST", "/rampart/policy-analysis/explain", "ExplainAuthorization",
                        request -> ApiResponse.ok(explain(targets, services, request.body()))));
    }

    /** What is analyzed: one or more policies held by any device, or a registry target's effective policies. */
    private record Subject(String description, Optional<List<NamedPolicy>> policies, EffectivePermissions target) {
    }

    private Map<String, Object> analyze(PolicyTargets targets, ObjectNode body) {
        SubstitutionMode mode = mode(body);
        Subject subject = subject(targets, body);
        Optional<List<NamedPolicy>> reference = source(targets, body, "referencePolicyName", "referencePolicyVersionId",
                "referencePolicyDocument").map(List::of);
        Optional<String> prefix = ApiRequest.optionalText(body, "namespacePrefix");
        Set<Check> checks = checks(body, subject, reference.isPresent(), prefix.isPresent());
        Assumptions anyDevice = Assumptions.anyDevice(scope, mode);

        List<Map<String, Object>> results = new ArrayList<>();
        for (Check check : checks) {
            switch (check) {
                case OVERLY_PERMISSIVE -> results.add(verdict(check.name(),
                        analyzer.checkOverlyPermissive(subject.target(), anyDevice)));
                case DEVICE_ISOLATION -> {
                    IsolationSpec spec = new IsolationSpec(prefix.orElseThrow(() -> RampartException.invalidRequest(
                            "check DEVICE_ISOLATION needs member 'namespacePrefix': the topic levels before the client"
                                    + " id, e.g. \"devices\" for devices/<clientId>/...")));
                    IsolationReport report = analyzer.checkDeviceIsolation(subject.target(), spec, anyDevice);
                    for (IsolationCheck isolation : IsolationCheck.values()) {
                        results.add(verdict(isolation.name(), report.verdict(isolation)));
                    }
                }
                case REFERENCE -> results.add(verdict("WITHIN_REFERENCE", analyzer.isSubsetOf(subject.target(),
                        reference.orElseThrow(() -> RampartException.invalidRequest("check REFERENCE needs"
                                + " 'referencePolicyName' (optionally 'referencePolicyVersionId') or"
                                + " 'referencePolicyDocument'")), anyDevice)));
                case AUDIT -> results.add(audit(subject, mode));
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("subject", subject.description());
        answer.put("substitutionMode", mode.name());
        answer.put("results", results);
        return answer;
    }

    private Map<String, Object> audit(Subject subject, SubstitutionMode mode) {
        List<NamedPolicy> policies = subject.policies().filter(p -> p.size() == 1).orElseThrow(() ->
                RampartException.invalidRequest("check AUDIT classifies one policy: give 'policyName' or"
                        + " 'policyDocument', not a certificate, thing or thing group"));
        PolicyClassification classification = new PolicyAudit(analyzer, scope, mode).classify(policies.get(0));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("check", Check.AUDIT.name());
        switch (classification) {
            case PolicyClassification.OverlyPermissive o -> {
                result.put("classification", "OVERLY_PERMISSIVE");
                result.put("reasonCode", PolicyClassification.BROAD_ACCESS);
                result.put("witnesses", o.witnesses().stream().map(this::counterexample).toList());
            }
            case PolicyClassification.PotentialMisconfiguration m -> result.put("classification", "POTENTIAL_MISCONFIGURATION");
            case PolicyClassification.Safe s -> {
                result.put("classification", "SAFE");
                result.put("requesters", s.requesters());
            }
            case PolicyClassification.Unsupported u -> {
                result.put("classification", "UNSUPPORTED");
                result.put("unsupported", unsupported(u.constructs()));
            }
        }
        result.put("misconfigurations", classification.misconfigurations().stream().map(m -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("reasonCode", m.reason().name());
            entry.put("statement", m.statement());
            entry.put("resource", m.resource());
            entry.put("explanation", m.explanation());
            if (m.witness() != null) {
                entry.put("counterexample", counterexample(m.witness()));
            }
            return entry;
        }).toList());
        return result;
    }

    private Map<String, Object> diff(PolicyTargets targets, ObjectNode body) {
        SubstitutionMode mode = mode(body);
        Optional<String> shared = ApiRequest.optionalText(body, "policyName");
        NamedPolicy from = diffSide(targets, body, shared, "from");
        NamedPolicy to = diffSide(targets, body, shared, "to");
        PolicyDiff diff = analyzer.diff(List.of(from), List.of(to), Assumptions.anyDevice(scope, mode));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("from", describe(from));
        answer.put("to", describe(to));
        answer.put("substitutionMode", mode.name());
        answer.put("verdict", !diff.unsupported().isEmpty() ? "UNSUPPORTED" : diff.unchanged() ? "PROVED" : "COUNTEREXAMPLE");
        if (diff.unchanged()) {
            answer.put("claim", "both allow exactly the same requests");
        }
        answer.put("added", diff.added().stream().map(this::counterexample).toList());
        answer.put("removed", diff.removed().stream().map(this::counterexample).toList());
        answer.put("unsupported", unsupported(diff.unsupported()));
        return answer;
    }

    private NamedPolicy diffSide(PolicyTargets targets, ObjectNode body, Optional<String> shared, String side) {
        Optional<String> name = ApiRequest.optionalText(body, side + "PolicyName").or(() -> shared);
        Optional<String> version = ApiRequest.optionalText(body, side + "VersionId");
        Optional<String> document = document(body, side + "PolicyDocument");
        if (document.isPresent() && (ApiRequest.optionalText(body, side + "PolicyName").isPresent() || version.isPresent())) {
            throw RampartException.invalidRequest("give '" + side + "PolicyDocument' or a stored policy ('" + side
                    + "PolicyName'/'policyName' with '" + side + "VersionId'), not both");
        }
        if (document.isPresent()) {
            return new NamedPolicy(side, "inline", PolicyDocument.parse(document.get()));
        }
        if (name.isEmpty()) {
            throw RampartException.invalidRequest("the '" + side + "' side is missing: give 'policyName' with '"
                    + side + "VersionId', or '" + side + "PolicyName', or '" + side + "PolicyDocument'");
        }
        return targets.policy(name.get(), version.orElse(null));
    }

    private Map<String, Object> explain(PolicyTargets targets, ApiServices services, ObjectNode body) {
        SubstitutionMode mode = mode(body);
        String action = ApiRequest.optionalText(body, "action").filter(a -> !a.isBlank()).orElseThrow(() ->
                RampartException.invalidRequest("member 'action' is required, e.g. \"iot:Publish\""));
        String resource = resource(ApiRequest.optionalText(body, "resource").filter(r -> !r.isBlank()).orElseThrow(() ->
                RampartException.invalidRequest("member 'resource' is required: an ARN or the part after the account,"
                        + " e.g. \"topic/devices/lamp-1/state\"")));
        Optional<String> clientId = ApiRequest.optionalText(body, "clientId");
        Optional<String> sourceIp = ApiRequest.optionalText(body, "sourceIp");
        Optional<String> certificateId = ApiRequest.optionalText(body, "certificateId");
        List<NamedPolicy> policies;
        RequestContext context;
        if (certificateId.isPresent()) {
            if (present(body, "policyName") || present(body, "policyDocument")) {
                throw RampartException.invalidRequest("give one of 'certificateId', 'policyName' or 'policyDocument'");
            }
            // Exactly what the gateway would use for this certificate and client id.
            ConnectionPolicies connection = services.registry().authorizations()
                    .forConnection(certificateId.get(), clientId.orElse(null));
            policies = connection.policies();
            context = connection.context();
        } else {
            policies = List.of(source(targets, body, "policyName", "policyVersionId", "policyDocument")
                    .orElseThrow(() -> RampartException.invalidRequest("give the policies to explain: 'certificateId',"
                            + " 'policyName' (optionally 'policyVersionId') or 'policyDocument'")));
            RequestContext.Builder builder = RequestContext.builder();
            clientId.ifPresent(builder::clientId);
            if (ApiRequest.optionalBoolean(body, "thingAttached").orElse(false)) {
                builder.thing(ThingContext.attached(clientId.orElseThrow(() -> RampartException.invalidRequest(
                        "'thingAttached' needs 'clientId': the attached thing is the one named like the client id"))));
            }
            context = builder.build();
        }
        if (sourceIp.isPresent()) {
            context = new RequestContext(context.clientId(), sourceIp, context.time(), context.thing(),
                    context.certificate(), context.conditionKeys());
        }
        Clock clock = services.clock();
        PolicyExplanation explanation = analyzer.explain(policies, new AuthorizationRequest(action, resource, context),
                scope, mode, clock);

        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("request", request(explanation.request()));
        answer.put("substitutionMode", mode.name());
        List<StatementMatch> matches = switch (explanation.decision()) {
            case Decision.Allowed a -> {
                answer.put("decision", "ALLOWED");
                yield a.allowing();
            }
            case Decision.ExplicitDeny d -> {
                answer.put("decision", "EXPLICIT_DENY");
                yield d.denying();
            }
            case Decision.ImplicitDeny i -> {
                answer.put("decision", "IMPLICIT_DENY");
                yield List.of();
            }
        };
        answer.put("statements", matches.stream().map(m -> statement(policies, m)).toList());
        answer.put("policies", policies.stream().map(this::describe).toList());
        answer.put("missingContextValues", explanation.missingContextValues());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("allowed", explanation.analyzerAllows().orElse(null));
        view.put("agrees", explanation.agrees());
        view.put("unsupported", unsupported(explanation.unsupported()));
        answer.put("analyzer", view);
        return answer;
    }

    private Subject subject(PolicyTargets targets, ObjectNode body) {
        List<String> given = SUBJECTS.stream().filter(member -> present(body, member)).toList();
        if (given.size() != 1) {
            throw RampartException.invalidRequest("give exactly one of " + String.join(", ", SUBJECTS)
                    + (given.isEmpty() ? "" : "; got " + String.join(", ", given)));
        }
        String member = given.get(0);
        if (!member.equals("policyName") && present(body, "policyVersionId")) {
            throw RampartException.invalidRequest("'policyVersionId' goes with 'policyName' only");
        }
        return switch (member) {
            case "policyName", "policyDocument" -> {
                NamedPolicy policy = source(targets, body, "policyName", "policyVersionId", "policyDocument").orElseThrow();
                String description = describe(policy);
                yield new Subject(description, Optional.of(List.of(policy)), new EffectivePermissions(description,
                        List.of(new EffectivePermissions.Connection(description + " held by any device",
                                List.of(policy), Optional.empty(), Optional.empty()))));
            }
            case "certificateId" -> effective(targets.certificate(ApiRequest.requiredText(body, member)));
            case "thingName" -> effective(targets.thing(ApiRequest.requiredText(body, member)));
            case "thingGroupName" -> effective(targets.thingGroup(ApiRequest.requiredText(body, member)));
            default -> throw new IllegalStateException(member);
        };
    }

    private static Subject effective(EffectivePermissions target) {
        return new Subject(target.target(), Optional.empty(), target);
    }

    /** A stored policy (name, optional version) or an inline document, from the given members; empty if neither. */
    private static Optional<NamedPolicy> source(PolicyTargets targets, ObjectNode body, String nameMember,
                                                String versionMember, String documentMember) {
        Optional<String> name = ApiRequest.optionalText(body, nameMember);
        Optional<String> version = ApiRequest.optionalText(body, versionMember);
        Optional<String> document = document(body, documentMember);
        if (name.isPresent() && document.isPresent()) {
            throw RampartException.invalidRequest("give '" + nameMember + "' or '" + documentMember + "', not both");
        }
        if (version.isPresent() && name.isEmpty()) {
            throw RampartException.invalidRequest("'" + versionMember + "' needs '" + nameMember + "'");
        }
        if (document.isPresent()) {
            return Optional.of(new NamedPolicy("inline", "inline", PolicyDocument.parse(document.get())));
        }
        return name.map(n -> targets.policy(n, version.orElse(null)));
    }

    /** A document given as a JSON string (AWS's policyDocument) or, for convenience, as a JSON object. */
    private static Optional<String> document(ObjectNode body, String member) {
        JsonNode value = body.get(member);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (value.isObject()) {
            return Optional.of(value.toString());
        }
        return ApiRequest.optionalText(body, member);
    }

    private Set<Check> checks(ObjectNode body, Subject subject, boolean reference, boolean prefix) {
        Optional<List<String>> named = BodyMembers.optionalStringList(body, "checks", "checks");
        Set<Check> checks = new LinkedHashSet<>();
        if (named.isPresent() && !named.get().isEmpty()) {
            named.get().forEach(name -> checks.add(ApiRequest.enumValue(Check.class, "checks[]", name)));
            return checks;
        }
        checks.add(Check.OVERLY_PERMISSIVE);
        if (prefix) {
            checks.add(Check.DEVICE_ISOLATION);
        }
        if (reference) {
            checks.add(Check.REFERENCE);
        }
        if (subject.policies().filter(p -> p.size() == 1).isPresent()) {
            checks.add(Check.AUDIT);
        }
        return checks;
    }

    private SubstitutionMode mode(ObjectNode body) {
        return ApiRequest.optionalText(body, "substitutionMode")
                .map(m -> ApiRequest.enumValue(SubstitutionMode.class, "substitutionMode", m)).orElse(nodeMode);
    }

    private String resource(String resource) {
        if (resource.startsWith("arn:")) {
            return resource;
        }
        if (resource.indexOf('/') <= 0) {
            throw RampartException.invalidRequest("member 'resource' must be an ARN or '<type>/<name>' such as"
                    + " topic/a/b, topicfilter/a/#, client/lamp-1 or thing/lamp-1, got '" + resource + "'");
        }
        return scope.arnPrefix() + resource;
    }

    private static boolean present(ObjectNode body, String member) {
        return body.hasNonNull(member);
    }

    private String describe(NamedPolicy policy) {
        return policy.version().equals("inline") ? "the given policy document"
                : "policy " + policy.name() + " version " + policy.version();
    }

    private Map<String, Object> verdict(String check, Verdict verdict) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("check", check);
        switch (verdict) {
            case Verdict.Proved p -> {
                result.put("verdict", "PROVED");
                result.put("claim", p.claim());
                result.put("requesters", p.requesters());
            }
            case Verdict.Counterexample c -> {
                result.put("verdict", "COUNTEREXAMPLE");
                result.put("counterexample", counterexample(c));
            }
            case Verdict.Unsupported u -> {
                result.put("verdict", "UNSUPPORTED");
                result.put("unsupported", unsupported(u.constructs()));
            }
        }
        return result;
    }

    private Map<String, Object> counterexample(Verdict.Counterexample c) {
        Map<String, Object> entry = request(c.request());
        entry.put("explanation", c.explanation());
        return entry;
    }

    private static Map<String, Object> request(AuthorizationRequest request) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("action", request.action());
        entry.put("resource", request.resource());
        RequestContext context = request.context();
        context.clientId().ifPresent(id -> entry.put("clientId", id));
        context.thing().ifPresent(thing -> {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("thingName", thing.thingName());
            t.put("attached", thing.attached());
            thing.thingTypeName().ifPresent(type -> t.put("thingTypeName", type));
            if (!thing.attributes().isEmpty()) {
                t.put("attributes", thing.attributes());
            }
            entry.put("thing", t);
        });
        context.certificate().ifPresent(cert -> entry.put("certificateId", cert.certificateId()));
        context.sourceIp().ifPresent(ip -> entry.put("sourceIp", ip));
        context.time().ifPresent(time -> entry.put("time", time.toString()));
        return entry;
    }

    private static List<Map<String, Object>> unsupported(List<String> constructs) {
        return constructs.stream().map(construct -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            Matcher m = STATEMENT.matcher(construct);
            if (m.matches()) {
                entry.put("statement", m.group(1));
                entry.put("construct", m.group(2));
            } else {
                entry.put("construct", construct);
            }
            return entry;
        }).toList();
    }

    private static Map<String, Object> statement(List<NamedPolicy> policies, StatementMatch match) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("policyName", match.policyName());
        entry.put("statementIndex", match.statementIndex());
        policies.stream().filter(p -> p.name().equals(match.policyName())).findFirst()
                .map(p -> p.document().statements().get(match.statementIndex() - 1))
                .ifPresent((Statement s) -> {
                    entry.put("effect", s.effect().jsonName());
                    s.sid().ifPresent(sid -> entry.put("sid", sid));
                    entry.put(s.notAction() ? "notAction" : "action", s.actions());
                    entry.put(s.notResource() ? "notResource" : "resource", s.resources());
                    if (!s.conditions().isEmpty()) {
                        entry.put("conditions", s.conditions().stream()
                                .map(c -> c.operator() + " " + c.key() + " " + c.values()).toList());
                    }
                });
        return entry;
    }
}
