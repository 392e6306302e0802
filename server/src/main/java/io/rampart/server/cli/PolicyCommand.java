package io.rampart.server.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.iot.model.ActionType;
import software.amazon.awssdk.services.iot.model.AuthInfo;
import software.amazon.awssdk.services.iot.model.AuthResult;
import software.amazon.awssdk.services.iot.model.CreatePolicyResponse;
import software.amazon.awssdk.services.iot.model.GetPolicyResponse;
import software.amazon.awssdk.services.iot.model.Policy;
import software.amazon.awssdk.services.iot.model.TestAuthorizationResponse;

/** {@code rampart policy create|get|list|delete|test|analyze|diff|explain}. */
@Command(name = "policy", description = "Create, inspect, delete, test and analyze AWS IoT policies.",
        subcommands = {PolicyCommand.CreatePolicy.class, PolicyCommand.GetPolicy.class, PolicyCommand.ListPolicies.class,
                PolicyCommand.DeletePolicy.class, PolicyCommand.TestPolicy.class, PolicyAnalysisCommands.Analyze.class,
                PolicyAnalysisCommands.Diff.class, PolicyAnalysisCommands.Explain.class})
public final class PolicyCommand extends Group {

    @Command(name = "create", description = "Create a policy from a JSON policy document.")
    static final class CreatePolicy extends NodeCommand {
        @Parameters(paramLabel = "NAME", description = "Policy name.")
        String name;

        @Option(names = "--document", paramLabel = "FILE", required = true, description = "Policy document (JSON).")
        Path document;

        @Override
        int run(NodeConnection node, Output out) {
            String text = readDocument(document);
            CreatePolicyResponse created = node.iot().createPolicy(r -> r.policyName(name).policyDocument(text));
            out.print(out.object().put("policyName", created.policyName()).put("policyArn", created.policyArn())
                            .put("policyVersionId", created.policyVersionId()),
                    "created policy " + created.policyName() + " (" + created.policyArn() + ", version "
                            + created.policyVersionId() + ")");
            return 0;
        }
    }

    @Command(name = "get", description = "Print a policy's default version.")
    static final class GetPolicy extends NodeCommand {
        @Parameters(paramLabel = "NAME", description = "Policy name.")
        String name;

        @Override
        int run(NodeConnection node, Output out) {
            GetPolicyResponse policy = node.iot().getPolicy(r -> r.policyName(name));
            ObjectNode document = out.object()
                    .put("policyName", policy.policyName())
                    .put("policyArn", policy.policyArn())
                    .put("defaultVersionId", policy.defaultVersionId());
            document.set("policyDocument", out.parseOrText(policy.policyDocument()));
            out.print(document, "policy " + policy.policyName() + " (default version " + policy.defaultVersionId()
                    + ", " + policy.policyArn() + ")\n" + out.pretty(out.parseOrText(policy.policyDocument())));
            return 0;
        }
    }

    @Command(name = "list", description = "List all policies (every page).")
    static final class ListPolicies extends NodeCommand {
        @Override
        int run(NodeConnection node, Output out) {
            ArrayNode policies = out.array();
            List<List<String>> rows = new ArrayList<>();
            for (Policy policy : node.iot().listPoliciesPaginator(r -> { }).policies()) {
                policies.addObject().put("policyName", policy.policyName()).put("policyArn", policy.policyArn());
                rows.add(List.of(policy.policyName(), policy.policyArn()));
            }
            ObjectNode document = out.object();
            document.set("policies", policies);
            out.table(document, List.of("NAME", "ARN"), rows);
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete a policy (detach it and delete its non-default versions first, as AWS IoT requires).")
    static final class DeletePolicy extends NodeCommand {
        @Parameters(paramLabel = "NAME", description = "Policy name.")
        String name;

        @Override
        int run(NodeConnection node, Output out) {
            node.iot().deletePolicy(r -> r.policyName(name));
            out.print(out.object().put("deleted", name), "deleted policy " + name);
            return 0;
        }
    }

    @Command(name = "test", description = {
            "Ask the node whether a certificate's policies allow an action (TestAuthorization).",
            "Prints ALLOWED, EXPLICIT_DENY or IMPLICIT_DENY per resource, with the deciding policies."})
    static final class TestPolicy extends NodeCommand {
        @Option(names = "--cert", paramLabel = "ID", required = true, description = "Certificate id or ARN.")
        String certificate;

        @Option(names = "--client-id", paramLabel = "ID", description = "MQTT client id (for $${iot:ClientId} and the thing variables).")
        String clientId;

        @Option(names = "--action", paramLabel = "ACTION", required = true,
                description = "iot:Connect, iot:Publish, iot:Subscribe or iot:Receive.")
        String action;

        @Option(names = "--resource", paramLabel = "RESOURCE", required = true,
                description = "ARN, or the part after the account (topic/a, topicfilter/a/#, client/x); repeatable.")
        List<String> resources;

        @Override
        int run(NodeConnection node, Output out) {
            ActionType type = actionType(action);
            String certificateArn = certificate.startsWith("arn:") ? certificate
                    : node.iot().describeCertificate(r -> r.certificateId(certificate)).certificateDescription().certificateArn();
            // arn:aws:iot:REGION:ACCOUNT:cert/ID -> arn:aws:iot:REGION:ACCOUNT: completes short resources.
            int cert = certificateArn.indexOf(":cert/");
            if (cert < 0) {
                throw new IllegalArgumentException("--cert must be a certificate id or a certificate ARN (...:cert/ID), got '"
                        + certificate + "'");
            }
            String prefix = certificateArn.substring(0, cert + 1);
            List<String> arns = resources.stream().map(r -> r.startsWith("arn:") ? r : prefix + r).toList();
            TestAuthorizationResponse answer = node.iot().testAuthorization(r -> r
                    .principal(certificateArn)
                    .clientId(clientId)
                    .authInfos(AuthInfo.builder().actionType(type).resources(arns).build()));
            ArrayNode results = out.array();
            StringBuilder human = new StringBuilder();
            for (AuthResult result : answer.authResults()) {
                String decision = result.authDecisionAsString();
                List<String> deciding = decidingPolicies(result);
                ObjectNode item = results.addObject()
                        .put("decision", decision)
                        .put("action", "iot:" + capitalized(result.authInfo().actionTypeAsString()));
                result.authInfo().resources().forEach(item.putArray("resources")::add);
                deciding.forEach(item.putArray("policies")::add);
                result.missingContextValues().forEach(item.putArray("missingContextValues")::add);
                human.append(String.format("%-13s %s %s", decision, "iot:" + capitalized(result.authInfo().actionTypeAsString()),
                        String.join(",", result.authInfo().resources())));
                human.append(deciding.isEmpty() ? "  (no policy allows it)" : "  policies: " + String.join(", ", deciding));
                if (!result.missingContextValues().isEmpty()) {
                    human.append("  missing context: ").append(String.join(", ", result.missingContextValues()));
                }
                human.append('\n');
            }
            ObjectNode document = out.object().put("principal", certificateArn).put("clientId", clientId);
            document.set("results", results);
            out.print(document, human.toString().stripTrailing());
            return 0;
        }

        /** ALLOWED names the allowing policies; EXPLICIT_DENY the denying ones; IMPLICIT_DENY the ones evaluated. */
        private static List<String> decidingPolicies(AuthResult result) {
            List<Policy> policies = switch (result.authDecisionAsString()) {
                case "ALLOWED" -> result.allowed() == null ? List.of() : result.allowed().policies();
                case "EXPLICIT_DENY" -> result.denied() == null || result.denied().explicitDeny() == null ? List.of()
                        : result.denied().explicitDeny().policies();
                default -> result.denied() == null || result.denied().implicitDeny() == null ? List.of()
                        : result.denied().implicitDeny().policies();
            };
            return policies.stream().map(Policy::policyName).toList();
        }
    }

    static ActionType actionType(String action) {
        String bare = action.regionMatches(true, 0, "iot:", 0, 4) ? action.substring(4) : action;
        ActionType type = ActionType.fromValue(bare.toUpperCase(Locale.ROOT));
        if (type == null || type == ActionType.UNKNOWN_TO_SDK_VERSION) {
            throw new IllegalArgumentException("--action must be one of iot:Connect, iot:Publish, iot:Subscribe, iot:Receive; got '"
                    + action + "'");
        }
        return type;
    }

    private static String capitalized(String upper) {
        return upper.isEmpty() ? upper : upper.charAt(0) + upper.substring(1).toLowerCase(Locale.ROOT);
    }

    static String readDocument(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("policy file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read policy file " + file, e);
        }
    }

    static String policyNameFor(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
