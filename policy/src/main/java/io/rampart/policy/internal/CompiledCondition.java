package io.rampart.policy.internal;

import io.rampart.policy.Effect;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One compiled condition: operator, key and the policy's values, with IAM's semantics.
 *
 * <p>IAM rules implemented here: values of one key are ORed; a missing key makes a condition false, except for
 * negated operators (StringNotEquals, NotIpAddress, ...), {@code ...IfExists} operators and
 * {@code ForAllValues:}, where it is true; {@code Null} tests presence. {@code ForAnyValue:} needs one request
 * value to match, {@code ForAllValues:} needs every request value to match.
 */
public final class CompiledCondition {
    /** The operator families AWS IoT policies accept (IAM's condition operators). */
    public enum Family {
        STRING_EQUALS, STRING_EQUALS_IGNORE_CASE, STRING_LIKE, NUMERIC_EQUALS, NUMERIC_LESS_THAN,
        NUMERIC_LESS_THAN_EQUALS, NUMERIC_GREATER_THAN, NUMERIC_GREATER_THAN_EQUALS, DATE_EQUALS, DATE_LESS_THAN,
        DATE_LESS_THAN_EQUALS, DATE_GREATER_THAN, DATE_GREATER_THAN_EQUALS, BOOL, BINARY_EQUALS, IP_ADDRESS,
        ARN_EQUALS, ARN_LIKE, NULL
    }

    /** {@code ForAnyValue:} / {@code ForAllValues:} or neither. */
    public enum SetQualifier { NONE, FOR_ANY_VALUE, FOR_ALL_VALUES }

    /** A parsed operator name such as {@code ForAllValues:StringNotLikeIfExists}. */
    public record Operator(String text, SetQualifier qualifier, Family family, boolean negated, boolean ifExists) {

        /** Parses an operator name (case-sensitive, as IAM spells them), or null when AWS does not accept it. */
        public static Operator parse(String text) {
            String rest = text;
            SetQualifier qualifier = SetQualifier.NONE;
            if (rest.startsWith("ForAnyValue:")) {
                qualifier = SetQualifier.FOR_ANY_VALUE;
                rest = rest.substring("ForAnyValue:".length());
            } else if (rest.startsWith("ForAllValues:")) {
                qualifier = SetQualifier.FOR_ALL_VALUES;
                rest = rest.substring("ForAllValues:".length());
            }
            boolean ifExists = rest.endsWith("IfExists");
            String base = ifExists ? rest.substring(0, rest.length() - "IfExists".length()) : rest;
            Operator operator = switch (base) {
                case "StringEquals" -> new Operator(text, qualifier, Family.STRING_EQUALS, false, ifExists);
                case "StringNotEquals" -> new Operator(text, qualifier, Family.STRING_EQUALS, true, ifExists);
                case "StringEqualsIgnoreCase" -> new Operator(text, qualifier, Family.STRING_EQUALS_IGNORE_CASE, false, ifExists);
                case "StringNotEqualsIgnoreCase" -> new Operator(text, qualifier, Family.STRING_EQUALS_IGNORE_CASE, true, ifExists);
                case "StringLike" -> new Operator(text, qualifier, Family.STRING_LIKE, false, ifExists);
                case "StringNotLike" -> new Operator(text, qualifier, Family.STRING_LIKE, true, ifExists);
                case "NumericEquals" -> new Operator(text, qualifier, Family.NUMERIC_EQUALS, false, ifExists);
                case "NumericNotEquals" -> new Operator(text, qualifier, Family.NUMERIC_EQUALS, true, ifExists);
                case "NumericLessThan" -> new Operator(text, qualifier, Family.NUMERIC_LESS_THAN, false, ifExists);
                case "NumericLessThanEquals" -> new Operator(text, qualifier, Family.NUMERIC_LESS_THAN_EQUALS, false, ifExists);
                case "NumericGreaterThan" -> new Operator(text, qualifier, Family.NUMERIC_GREATER_THAN, false, ifExists);
                case "NumericGreaterThanEquals" -> new Operator(text, qualifier, Family.NUMERIC_GREATER_THAN_EQUALS, false, ifExists);
                case "DateEquals" -> new Operator(text, qualifier, Family.DATE_EQUALS, false, ifExists);
                case "DateNotEquals" -> new Operator(text, qualifier, Family.DATE_EQUALS, true, ifExists);
                case "DateLessThan" -> new Operator(text, qualifier, Family.DATE_LESS_THAN, false, ifExists);
                case "DateLessThanEquals" -> new Operator(text, qualifier, Family.DATE_LESS_THAN_EQUALS, false, ifExists);
                case "DateGreaterThan" -> new Operator(text, qualifier, Family.DATE_GREATER_THAN, false, ifExists);
                case "DateGreaterThanEquals" -> new Operator(text, qualifier, Family.DATE_GREATER_THAN_EQUALS, false, ifExists);
                case "Bool" -> new Operator(text, qualifier, Family.BOOL, false, ifExists);
                case "BinaryEquals" -> new Operator(text, qualifier, Family.BINARY_EQUALS, false, ifExists);
                case "IpAddress" -> new Operator(text, qualifier, Family.IP_ADDRESS, false, ifExists);
                case "NotIpAddress" -> new Operator(text, qualifier, Family.IP_ADDRESS, true, ifExists);
                case "ArnEquals" -> new Operator(text, qualifier, Family.ARN_EQUALS, false, ifExists);
                case "ArnNotEquals" -> new Operator(text, qualifier, Family.ARN_EQUALS, true, ifExists);
                case "ArnLike" -> new Operator(text, qualifier, Family.ARN_LIKE, false, ifExists);
                case "ArnNotLike" -> new Operator(text, qualifier, Family.ARN_LIKE, true, ifExists);
                case "Null" -> new Operator(text, qualifier, Family.NULL, false, ifExists);
                default -> null;
            };
            // IAM has no NullIfExists, and set qualifiers make no sense on Null.
            if (operator != null && operator.family == Family.NULL && (ifExists || qualifier != SetQualifier.NONE)) {
                return null;
            }
            return operator;
        }
    }

    private final Operator operator;
    private final ContextKey key;
    private final Template[] values;
    /** Per policy value: its parsed form (IpRange, BigDecimal, Instant, ARN parts) when it has no variables. */
    private final Object[] prepared;

    public CompiledCondition(Operator operator, ContextKey key, List<Template> values) {
        this.operator = operator;
        this.key = key;
        this.values = values.toArray(Template[]::new);
        this.prepared = new Object[this.values.length];
        for (int i = 0; i < this.values.length; i++) {
            String literal = this.values[i].literalValue();
            prepared[i] = literal == null ? null : prepare(literal);
        }
    }

    /** Parses a policy value once for the operator family; null when it does not parse (it then never matches). */
    private Object prepare(String value) {
        return switch (operator.family()) {
            case IP_ADDRESS -> IpRange.parse(value);
            case NUMERIC_EQUALS, NUMERIC_LESS_THAN, NUMERIC_LESS_THAN_EQUALS, NUMERIC_GREATER_THAN,
                 NUMERIC_GREATER_THAN_EQUALS -> number(value);
            case DATE_EQUALS, DATE_LESS_THAN, DATE_LESS_THAN_EQUALS, DATE_GREATER_THAN, DATE_GREATER_THAN_EQUALS ->
                    Dates.parse(value);
            case ARN_EQUALS, ARN_LIKE -> Arns.compile(value);
            default -> value;
        };
    }

    /** Whether the condition holds for the request, in a statement with the given effect. */
    boolean holds(RequestScope scope, Effect effect) {
        List<String> requestValues = key.values(scope.context(), scope.now());
        boolean present = requestValues != null && !requestValues.isEmpty();
        if (operator.family() == Family.NULL) {
            // "Null": {"key": "true"} holds when the key is absent, "false" when it is present.
            for (Template value : values) {
                String expected = value.value(scope, effect);
                if (expected != null && Boolean.parseBoolean(expected) != present) {
                    return true;
                }
            }
            return false;
        }
        if (!present) {
            if (!operator.ifExists()) {
                scope.markMissing(key.name());
            }
            if (operator.ifExists() || operator.qualifier() == SetQualifier.FOR_ALL_VALUES) {
                return true;
            }
            return operator.negated() && operator.qualifier() == SetQualifier.NONE;
        }
        boolean any = false;
        boolean all = true;
        for (String requestValue : requestValues) {
            Boolean positive = matchesAny(requestValue, scope, effect);
            if (positive == null) {
                return false; // a policy value could not be resolved: the condition cannot hold
            }
            boolean wanted = operator.negated() ? !positive : positive;
            any |= wanted;
            all &= wanted;
        }
        return switch (operator.qualifier()) {
            case FOR_ALL_VALUES -> all;
            case FOR_ANY_VALUE -> any;
            // Without a qualifier: positive operators need one matching value, negated ones need none to match.
            case NONE -> operator.negated() ? all : any;
        };
    }

    /** True if the request value matches one of the policy values; null if a policy value has a missing variable. */
    private Boolean matchesAny(String requestValue, RequestScope scope, Effect effect) {
        for (int i = 0; i < values.length; i++) {
            Template value = values[i];
            Object expected = prepared[i];
            if (value.literalValue() == null) {
                String substituted = value.value(scope, effect);
                if (substituted == null) {
                    return null;
                }
                if (operator.family() == Family.STRING_LIKE) {
                    // Substituted text stays literal inside the pattern.
                    if (value.matches(requestValue, scope, effect)) {
                        return true;
                    }
                    continue;
                }
                expected = prepare(substituted);
            } else if (operator.family() == Family.STRING_LIKE) {
                if (value.matches(requestValue, scope, effect)) {
                    return true;
                }
                continue;
            }
            if (expected != null && compare(expected, requestValue)) {
                return true;
            }
        }
        return false;
    }

    private boolean compare(Object expected, String actual) {
        return switch (operator.family()) {
            case STRING_EQUALS, BINARY_EQUALS -> expected.equals(actual);
            case STRING_EQUALS_IGNORE_CASE, BOOL -> ((String) expected).equalsIgnoreCase(actual);
            case NUMERIC_EQUALS, NUMERIC_LESS_THAN, NUMERIC_LESS_THAN_EQUALS, NUMERIC_GREATER_THAN,
                 NUMERIC_GREATER_THAN_EQUALS -> {
                BigDecimal a = number(actual);
                yield a != null && ordered(a.compareTo((BigDecimal) expected));
            }
            case DATE_EQUALS, DATE_LESS_THAN, DATE_LESS_THAN_EQUALS, DATE_GREATER_THAN, DATE_GREATER_THAN_EQUALS -> {
                Instant a = Dates.parse(actual);
                yield a != null && ordered(a.compareTo((Instant) expected));
            }
            case IP_ADDRESS -> ((IpRange) expected).contains(actual);
            case ARN_EQUALS, ARN_LIKE -> Arns.matches((int[][]) expected, actual);
            case STRING_LIKE, NULL -> throw new IllegalStateException("handled by caller");
        };
    }

    /** Applies an ordering operator to the sign of (request value compared to policy value). */
    private boolean ordered(int comparison) {
        return switch (operator.family()) {
            case NUMERIC_EQUALS, DATE_EQUALS -> comparison == 0;
            case NUMERIC_LESS_THAN, DATE_LESS_THAN -> comparison < 0;
            case NUMERIC_LESS_THAN_EQUALS, DATE_LESS_THAN_EQUALS -> comparison <= 0;
            case NUMERIC_GREATER_THAN, DATE_GREATER_THAN -> comparison > 0;
            case NUMERIC_GREATER_THAN_EQUALS, DATE_GREATER_THAN_EQUALS -> comparison >= 0;
            default -> throw new IllegalStateException("not an ordering operator: " + operator.text());
        };
    }

    private static BigDecimal number(String value) {
        try {
            return new BigDecimal(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
