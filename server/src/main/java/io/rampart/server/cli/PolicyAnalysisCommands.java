package io.rampart.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rampart policy analyze|diff|explain}: Rampart's policy analysis routes ({@code /rampart/policy-analysis/...}),
 * printed as one line per question: PROVED, COUNTEREXAMPLE with the concrete request, or UNSUPPORTED with the
 * construct.
 */
final class PolicyAnalysisCommands {
    private PolicyAnalysisCommands() {
    }

    /** What to analyze: exactly one. */
    static final class Subject {
        @Parameters(paramLabel = "NAME", arity = "0..1", description = "A stored policy (its default version unless --version).")
        String policyName;

        @Option(names = "--document", paramLabel = "FILE", description = "A policy document (JSON) not stored on the node.")
        Path document;

        @Option(names = "--cert", paramLabel = "ID", description = "The effective policies of a certificate (with any client id, and as each attached thing).")
        String certificateId;

        @Option(names = "--thing", paramLabel = "NAME", description = "The effective policies of a thing (each attached certificate plus its groups' policies).")
        String thingName;

        @Option(names = "--thing-group", paramLabel = "NAME", description = "A thing group's policies and its ancestors'.")
        String thingGroupName;

        void into(ObjectNode body, String version) {
            int given = (policyName != null ? 1 : 0) + (document != null ? 1 : 0) + (certificateId != null ? 1 : 0)
                    + (thingName != null ? 1 : 0) + (thingGroupName != null ? 1 : 0);
            if (given != 1) {
                throw new IllegalArgumentException("give exactly one of NAME, --document, --cert, --thing, --thing-group");
            }
            if (version != null && policyName == null) {
                throw new IllegalArgumentException("--version goes with a policy NAME");
            }
            put(body, "policyName", policyName);
            put(body, "policyVersionId", version);
            if (document != null) {
                body.put("policyDocument", PolicyCommand.readDocument(document));
            }
            put(body, "certificateId", certificateId);
            put(body, "thingName", thingName);
            put(body, "thingGroupName", thingGroupName);
        }
    }

    @Command(name = "analyze", description = {
            "Prove or refute properties of a policy, or of a certificate's, thing's or thing group's effective policies:",
            "overly permissive, device isolation (--namespace), within a reference policy, Device Defender's audit",
            "classification. Each answer is PROVED, a COUNTEREXAMPLE request, or UNSUPPORTED naming the construct."})
    static final class Analyze extends NodeCommand {
        @ArgGroup(exclusive = false, multiplicity = "1")
        Subject subject;

        @Option(names = "--version", paramLabel = "ID", description = "Policy version (with NAME).")
        String version;

        @Option(names = "--namespace", paramLabel = "PREFIX",
                description = "Check device isolation for devices confined to PREFIX/<clientId> (e.g. devices).")
        String namespace;

        @Option(names = "--reference", paramLabel = "NAME", description = "Check that nothing outside this stored policy is allowed.")
        String reference;

        @Option(names = "--reference-document", paramLabel = "FILE", description = "Check that nothing outside this policy document is allowed.")
        Path referenceDocument;

        @Option(names = "--check", paramLabel = "CHECK",
                description = "OVERLY_PERMISSIVE, DEVICE_ISOLATION, REFERENCE or AUDIT; repeatable (default: all that apply).")
        List<String> checks;

        @Option(names = "--mode", paramLabel = "MODE", description = "STRICT or AWS_COMPATIBLE variable substitution (default: the node's).")
        String mode;

        @Override
        int run(NodeConnection node, Output out) {
            ObjectNode body = out.object();
            subject.into(body, version);
            put(body, "namespacePrefix", namespace);
            put(body, "referencePolicyName", reference);
            if (referenceDocument != null) {
                body.put("referencePolicyDocument", PolicyCommand.readDocument(referenceDocument));
            }
            if (checks != null) {
                checks.forEach(body.putArray("checks")::add);
            }
            put(body, "substitutionMode", mode);
            JsonNode answer = node.call("POST", "/rampart/policy-analysis/analyze", body);
            StringBuilder human = new StringBuilder(answer.path("subject").asText()).append(" (")
                    .append(answer.path("substitutionMode").asText()).append(")\n");
            for (JsonNode result : answer.path("results")) {
                if (result.has("classification")) {
                    human.append(line(result.path("check").asText(), result.path("classification").asText(),
                            result.path("reasonCode").asText("")));
                    for (JsonNode witness : result.path("witnesses")) {
                        human.append(counterexample(witness));
                    }
                    for (JsonNode reason : result.path("misconfigurations")) {
                        human.append(line("", reason.path("reasonCode").asText(), "statement "
                                + reason.path("statement").asInt() + " " + reason.path("resource").asText()));
                        human.append(detail(reason.path("explanation").asText()));
                    }
                    unsupported(result, human);
                } else {
                    human.append(verdict(result));
                }
            }
            out.print(answer, human.toString().stripTrailing());
            return 0;
        }
    }

    @Command(name = "diff", description = {
            "What one policy (version) allows that the other does not, each way, with a concrete request per action;",
            "PROVED when both allow exactly the same requests.",
            "  rampart policy diff NAME --from 1 --to 2      rampart policy diff --from-document A.json --to-document B.json"})
    static final class Diff extends NodeCommand {
        @Parameters(paramLabel = "NAME", arity = "0..1", description = "The policy whose versions are compared.")
        String policyName;

        @Option(names = "--from", paramLabel = "VERSION", description = "The old version (default: the default version).")
        String from;

        @Option(names = "--to", paramLabel = "VERSION", description = "The new version (default: the default version).")
        String to;

        @Option(names = "--from-document", paramLabel = "FILE", description = "The old side as a policy document.")
        Path fromDocument;

        @Option(names = "--to-document", paramLabel = "FILE", description = "The new side as a policy document.")
        Path toDocument;

        @Option(names = "--mode", paramLabel = "MODE", description = "STRICT or AWS_COMPATIBLE (default: the node's).")
        String mode;

        @Override
        int run(NodeConnection node, Output out) {
            ObjectNode body = out.object();
            put(body, "policyName", policyName);
            put(body, "fromVersionId", from);
            put(body, "toVersionId", to);
            if (fromDocument != null) {
                body.put("fromPolicyDocument", PolicyCommand.readDocument(fromDocument));
            }
            if (toDocument != null) {
                body.put("toPolicyDocument", PolicyCommand.readDocument(toDocument));
            }
            put(body, "substitutionMode", mode);
            JsonNode answer = node.call("POST", "/rampart/policy-analysis/diff", body);
            StringBuilder human = new StringBuilder(answer.path("from").asText()).append(" -> ")
                    .append(answer.path("to").asText()).append(" (").append(answer.path("substitutionMode").asText())
                    .append(")\n");
            if (answer.path("verdict").asText().equals("PROVED")) {
                human.append("PROVED  ").append(answer.path("claim").asText()).append('\n');
            }
            for (JsonNode added : answer.path("added")) {
                human.append("+ ").append(request(added)).append('\n');
            }
            for (JsonNode removed : answer.path("removed")) {
                human.append("- ").append(request(removed)).append('\n');
            }
            unsupported(answer, human);
            out.print(answer, human.toString().stripTrailing());
            return 0;
        }
    }

    @Command(name = "explain", description = {
            "The policy engine's decision on one request with the statements that decided it, beside the analyzer's",
            "answer for the same request (they always agree).",
            "  rampart policy explain --cert ID --client-id lamp-1 --action iot:Publish --resource topic/lamps/lamp-1"})
    static final class Explain extends NodeCommand {
        @Parameters(paramLabel = "NAME", arity = "0..1", description = "A stored policy (its default version unless --version).")
        String policyName;

        @Option(names = "--version", paramLabel = "ID", description = "Policy version (with NAME).")
        String version;

        @Option(names = "--document", paramLabel = "FILE", description = "A policy document (JSON).")
        Path document;

        @Option(names = "--cert", paramLabel = "ID", description = "Use the certificate's effective policies, as the gateway would for --client-id.")
        String certificateId;

        @Option(names = "--action", paramLabel = "ACTION", required = true, description = "e.g. iot:Publish, iot:Subscribe, iot:UpdateThingShadow.")
        String action;

        @Option(names = "--resource", paramLabel = "RESOURCE", required = true,
                description = "ARN, or the part after the account (topic/a, topicfilter/a/#, client/x, thing/x).")
        String resource;

        @Option(names = "--client-id", paramLabel = "ID", description = "The MQTT client id.")
        String clientId;

        @Option(names = "--thing-attached", description = "With NAME or --document: the thing named like the client id is attached.")
        boolean thingAttached;

        @Option(names = "--source-ip", paramLabel = "IP", description = "The client's address (aws:SourceIp).")
        String sourceIp;

        @Option(names = "--mode", paramLabel = "MODE", description = "STRICT or AWS_COMPATIBLE (default: the node's).")
        String mode;

        @Override
        int run(NodeConnection node, Output out) {
            ObjectNode body = out.object();
            put(body, "policyName", policyName);
            put(body, "policyVersionId", version);
            if (document != null) {
                body.put("policyDocument", PolicyCommand.readDocument(document));
            }
            put(body, "certificateId", certificateId);
            body.put("action", action);
            body.put("resource", resource);
            put(body, "clientId", clientId);
            if (thingAttached) {
                body.put("thingAttached", true);
            }
            put(body, "sourceIp", sourceIp);
            put(body, "substitutionMode", mode);
            JsonNode answer = node.call("POST", "/rampart/policy-analysis/explain", body);
            StringBuilder human = new StringBuilder(answer.path("decision").asText()).append("  ")
                    .append(request(answer.path("request"))).append('\n');
            for (JsonNode statement : answer.path("statements")) {
                human.append("  policy ").append(statement.path("policyName").asText()).append(" statement ")
                        .append(statement.path("statementIndex").asInt()).append(": ")
                        .append(statement.path("effect").asText()).append(' ')
                        .append(statement.has("notAction") ? "NotAction " + statement.path("notAction")
                                : statement.path("action").toString()).append(" on ")
                        .append(statement.has("notResource") ? "NotResource " + statement.path("notResource")
                                : statement.path("resource").toString()).append('\n');
            }
            if (!answer.path("missingContextValues").isEmpty()) {
                human.append("  missing context: ").append(answer.path("missingContextValues")).append('\n');
            }
            JsonNode analyzer = answer.path("analyzer");
            human.append("  analyzer: ").append(analyzer.path("allowed").isNull() ? "no exact answer"
                    : analyzer.path("allowed").asBoolean() ? "allowed" : "not allowed")
                    .append(analyzer.path("agrees").asBoolean() ? "" : " (DISAGREES with the engine: please report)")
                    .append('\n');
            unsupported(analyzer, human);
            out.print(answer, human.toString().stripTrailing());
            return 0;
        }
    }

    private static void put(ObjectNode body, String member, String value) {
        if (value != null) {
            body.put(member, value);
        }
    }

    private static String line(String check, String verdict, String what) {
        return String.format("  %-28s %-15s %s%n", check, verdict, what).replaceAll(" +\n", "\n");
    }

    private static String detail(String text) {
        return String.format("  %-28s %-15s %s%n", "", "", text);
    }

    private static String verdict(JsonNode result) {
        String check = result.path("check").asText();
        return switch (result.path("verdict").asText()) {
            case "PROVED" -> line(check, "PROVED", result.path("claim").asText());
            case "COUNTEREXAMPLE" -> line(check, "COUNTEREXAMPLE", request(result.path("counterexample")))
                    + detail(result.path("counterexample").path("explanation").asText());
            default -> {
                StringBuilder text = new StringBuilder(line(check, "UNSUPPORTED", ""));
                unsupported(result, text);
                yield text.toString();
            }
        };
    }

    private static String counterexample(JsonNode witness) {
        return line("", "", request(witness)) + detail(witness.path("explanation").asText());
    }

    /** A request on one line: action, resource, and who asks. */
    private static String request(JsonNode request) {
        StringBuilder text = new StringBuilder(request.path("action").asText()).append(' ')
                .append(request.path("resource").asText());
        if (request.has("clientId")) {
            text.append("  client id '").append(request.path("clientId").asText()).append('\'');
        }
        JsonNode thing = request.path("thing");
        if (thing.isObject()) {
            text.append(thing.path("attached").asBoolean() ? ", thing attached" : ", thing not attached");
        }
        if (request.has("certificateId")) {
            text.append(", certificate ").append(request.path("certificateId").asText(), 0,
                    Math.min(12, request.path("certificateId").asText().length())).append('…');
        }
        return text.toString();
    }

    private static void unsupported(JsonNode result, StringBuilder human) {
        for (JsonNode entry : result.path("unsupported")) {
            human.append(detail("unsupported: " + (entry.has("statement") ? entry.path("statement").asText() + ": " : "")
                    + entry.path("construct").asText()));
        }
    }
}
