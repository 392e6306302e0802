package io.rampart.policy.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.rampart.common.ErrorType;
import io.rampart.common.Json;
import io.rampart.common.RampartException;
import io.rampart.policy.Condition;
import io.rampart.policy.Effect;
import io.rampart.policy.PolicyLimits;
import io.rampart.policy.Statement;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates an AWS IoT policy document and compiles it. Every error is a MalformedPolicyException whose message
 * names the statement (1-based) and the element at fault, e.g.
 * {@code statement 2: Resource must be an ARN or *, got 'topic/a'}.
 */
public final class PolicyParser {
    /** The policy language versions IAM defines; with 2008-10-17, policy variables are plain text (IAM rule). */
    public static final String CURRENT_VERSION = "2012-10-17";
    public static final String LEGACY_VERSION = "2008-10-17";

    private static final Set<String> TOP_LEVEL = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT_ELEMENTS =
            Set.of("Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition");
    private static final Pattern ACTION = Pattern.compile("[A-Za-z0-9*?-]+:[A-Za-z0-9*?]+");

    private final ObjectReader reader = Json.newMapper().readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The result of parsing: the validated statements as written and their compiled form. */
    public record Parsed(String version, List<Statement> statements, CompiledPolicy compiled) {
    }

    public Parsed parse(String text, PolicyLimits limits) {
        if (text == null || text.isBlank()) {
            throw malformed("policy document is empty");
        }
        long size = text.chars().filter(c -> !Character.isWhitespace(c)).count();
        if (size > limits.maxDocumentCharacters()) {
            throw malformed("policy document is " + size + " characters long without whitespace; the limit is "
                    + limits.maxDocumentCharacters());
        }
        JsonNode root;
        try {
            root = reader.readValue(text);
        } catch (JsonProcessingException e) {
            throw new RampartException(ErrorType.MALFORMED_POLICY,
                    "policy document is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw malformed("policy document must be a JSON object");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!TOP_LEVEL.contains(name)) {
                throw malformed("unknown top-level element '" + name + "'; allowed: Version, Id, Statement");
            }
        }
        JsonNode version = root.get("Version");
        if (version == null) {
            throw malformed("Version is required; use \"" + CURRENT_VERSION + "\"");
        }
        if (!version.isTextual()
                || !(version.asText().equals(CURRENT_VERSION) || version.asText().equals(LEGACY_VERSION))) {
            throw malformed("Version must be \"" + CURRENT_VERSION + "\" (or \"" + LEGACY_VERSION + "\"), got "
                    + version);
        }
        JsonNode id = root.get("Id");
        if (id != null && !id.isTextual()) {
            throw malformed("Id must be a string");
        }
        boolean variables = version.asText().equals(CURRENT_VERSION);
        JsonNode statementNode = root.get("Statement");
        if (statementNode == null) {
            throw malformed("Statement is required");
        }
        List<JsonNode> statementNodes = new ArrayList<>();
        if (statementNode.isObject()) {
            statementNodes.add(statementNode);
        } else if (statementNode.isArray() && !statementNode.isEmpty()) {
            statementNode.forEach(statementNodes::add);
        } else {
            throw malformed("Statement must be an object or a non-empty array of objects");
        }
        List<Statement> statements = new ArrayList<>();
        List<CompiledStatement> compiled = new ArrayList<>();
        for (int i = 0; i < statementNodes.size(); i++) {
            statement(i + 1, statementNodes.get(i), variables, statements, compiled);
        }
        return new Parsed(version.asText(), statements, new CompiledPolicy(compiled));
    }

    private void statement(int index, JsonNode node, boolean variables, List<Statement> statements,
                           List<CompiledStatement> compiled) {
        String at = "statement " + index + ": ";
        if (!node.isObject()) {
            throw malformed(at + "must be a JSON object, got " + node.getNodeType().name().toLowerCase());
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.equals("Principal") || name.equals("NotPrincipal")) {
                throw malformed(at + name + " is not supported: AWS IoT policies are attached to their principals");
            }
            if (!STATEMENT_ELEMENTS.contains(name)) {
                throw malformed(at + "unknown element '" + name
                        + "'; allowed: Sid, Effect, Action, NotAction, Resource, NotResource, Condition");
            }
        }
        Optional<String> sid = Optional.empty();
        JsonNode sidNode = node.get("Sid");
        if (sidNode != null) {
            if (!sidNode.isTextual()) {
                throw malformed(at + "Sid must be a string");
            }
            sid = Optional.of(sidNode.asText());
        }
        JsonNode effectNode = node.get("Effect");
        if (effectNode == null) {
            throw malformed(at + "Effect is required (Allow or Deny)");
        }
        Effect effect = null;
        for (Effect candidate : Effect.values()) {
            if (effectNode.isTextual() && candidate.jsonName().equals(effectNode.asText())) {
                effect = candidate;
            }
        }
        if (effect == null) {
            throw malformed(at + "Effect must be Allow or Deny, got " + effectNode);
        }
        boolean notAction = exactlyOne(node, "Action", "NotAction", at);
        String actionElement = notAction ? "NotAction" : "Action";
        List<String> actions = strings(node.get(actionElement), at + actionElement);
        for (String action : actions) {
            if (!action.equals("*") && !ACTION.matcher(action).matches()) {
                throw malformed(at + actionElement + " must be * or 'service:action' (e.g. iot:Publish), got '"
                        + action + "'");
            }
        }
        boolean notResource = exactlyOne(node, "Resource", "NotResource", at);
        String resourceElement = notResource ? "NotResource" : "Resource";
        List<String> resources = strings(node.get(resourceElement), at + resourceElement);
        List<Template> resourceTemplates = new ArrayList<>();
        for (String resource : resources) {
            if (!resource.equals("*") && !(resource.startsWith("arn:") && resource.split(":", 6).length == 6)) {
                throw malformed(at + resourceElement + " must be an ARN or *, got '" + resource + "'");
            }
            resourceTemplates.add(Template.parse(resource, variables));
        }
        List<Condition> conditions = new ArrayList<>();
        List<CompiledCondition> compiledConditions = new ArrayList<>();
        JsonNode conditionNode = node.get("Condition");
        if (conditionNode != null) {
            conditions(conditionNode, at, variables, conditions, compiledConditions);
        }
        statements.add(new Statement(index, sid, effect, notAction, actions, notResource, resources, conditions));
        compiled.add(new CompiledStatement(index, effect, notAction, actions, notResource, resourceTemplates,
                compiledConditions));
    }

    private void conditions(JsonNode node, String at, boolean variables, List<Condition> conditions,
                            List<CompiledCondition> compiled) {
        if (!node.isObject() || node.isEmpty()) {
            throw malformed(at + "Condition must be a non-empty object of {operator: {key: value(s)}}");
        }
        for (Map.Entry<String, JsonNode> op : node.properties()) {
            CompiledCondition.Operator operator = CompiledCondition.Operator.parse(op.getKey());
            if (operator == null) {
                throw malformed(at + "Condition operator '" + op.getKey() + "' is not supported");
            }
            if (!op.getValue().isObject() || op.getValue().isEmpty()) {
                throw malformed(at + "Condition " + op.getKey() + " must be a non-empty object of {key: value(s)}");
            }
            for (Map.Entry<String, JsonNode> key : op.getValue().properties()) {
                if (key.getKey().isBlank()) {
                    throw malformed(at + "Condition " + op.getKey() + " has an empty key");
                }
                String where = at + "Condition " + op.getKey() + " '" + key.getKey() + "'";
                List<String> values = conditionValues(key.getValue(), where);
                List<Template> templates = new ArrayList<>();
                for (String value : values) {
                    Template template = Template.parse(value, variables);
                    if (template.variables().isEmpty()) {
                        checkLiteral(operator.family(), value, where);
                    }
                    templates.add(template);
                }
                conditions.add(new Condition(op.getKey(), key.getKey(), values));
                compiled.add(new CompiledCondition(operator, ContextKey.parse(key.getKey()), templates));
            }
        }
    }

    private static void checkLiteral(CompiledCondition.Family family, String value, String where) {
        String problem = switch (family) {
            case NUMERIC_EQUALS, NUMERIC_LESS_THAN, NUMERIC_LESS_THAN_EQUALS, NUMERIC_GREATER_THAN,
                 NUMERIC_GREATER_THAN_EQUALS -> isNumber(value) ? null : "a number";
            case DATE_EQUALS, DATE_LESS_THAN, DATE_LESS_THAN_EQUALS, DATE_GREATER_THAN, DATE_GREATER_THAN_EQUALS ->
                    Dates.parse(value) != null ? null : "an ISO 8601 date or epoch seconds";
            case BOOL, NULL -> value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")
                    ? null : "true or false";
            case IP_ADDRESS -> IpRange.parse(value) != null ? null : "an IPv4/IPv6 address or CIDR block";
            default -> null;
        };
        if (problem != null) {
            throw malformed(where + " value must be " + problem + ", got '" + value + "'");
        }
    }

    private static boolean isNumber(String value) {
        try {
            new BigDecimal(value.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** True when the "Not" form is used; exactly one of the two elements must be present. */
    private static boolean exactlyOne(JsonNode node, String positive, String negative, String at) {
        boolean hasPositive = node.has(positive);
        boolean hasNegative = node.has(negative);
        if (hasPositive && hasNegative) {
            throw malformed(at + "has both " + positive + " and " + negative + "; use one");
        }
        if (!hasPositive && !hasNegative) {
            throw malformed(at + positive + " (or " + negative + ") is required");
        }
        return hasNegative;
    }

    private static List<String> strings(JsonNode node, String where) {
        List<String> values = new ArrayList<>();
        if (node.isTextual()) {
            values.add(node.asText());
        } else if (node.isArray() && !node.isEmpty()) {
            for (JsonNode item : node) {
                if (!item.isTextual()) {
                    throw malformed(where + " entries must be strings, got " + item);
                }
                values.add(item.asText());
            }
        } else {
            throw malformed(where + " must be a string or a non-empty array of strings");
        }
        for (String value : values) {
            if (value.isEmpty()) {
                throw malformed(where + " must not contain an empty string");
            }
        }
        return values;
    }

    private static List<String> conditionValues(JsonNode node, String where) {
        List<String> values = new ArrayList<>();
        if (node.isValueNode() && !node.isNull()) {
            values.add(node.asText());
        } else if (node.isArray() && !node.isEmpty()) {
            for (JsonNode item : node) {
                if (!item.isValueNode() || item.isNull()) {
                    throw malformed(where + " values must be strings, numbers or booleans, got " + item);
                }
                values.add(item.asText());
            }
        } else {
            throw malformed(where + " must be a string, number, boolean or a non-empty array of them");
        }
        return values;
    }

    private static RampartException malformed(String message) {
        return new RampartException(ErrorType.MALFORMED_POLICY, message);
    }
}
