package io.rampart.registry.internal;

import io.rampart.common.RampartException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Input checks with the patterns and lengths of the AWS IoT API reference. */
final class Validation {
    /** Thing, thing type and thing group names. */
    private static final Pattern THING_NAME = Pattern.compile("[a-zA-Z0-9:_-]+");
    private static final Pattern POLICY_NAME = Pattern.compile("[\\w+=,.@-]+");
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[a-zA-Z0-9_.,@/:#-]+");
    private static final Pattern ATTRIBUTE_VALUE = Pattern.compile("[a-zA-Z0-9_.,@/:#=\\[\\]-]*");
    private static final Pattern DESCRIPTION = Pattern.compile("[\\p{Graph}\\x20]*");
    private static final Pattern VERSION_ID = Pattern.compile("[0-9]{1,18}");
    private static final Pattern CERTIFICATE_ID = Pattern.compile("(0x)?[a-fA-F0-9]{64}");
    /** AWS quota: 50 attributes for a thing with a type, 3 without one. */
    static final int MAX_ATTRIBUTES_TYPED = 50;
    static final int MAX_ATTRIBUTES_UNTYPED = 3;
    static final int MAX_SEARCHABLE_ATTRIBUTES = 3;
    private static final int MAX_DESCRIPTION = 2028;

    private Validation() {
    }

    static String thingName(String value) {
        return name("thingName", value, THING_NAME, 128);
    }

    static String thingTypeName(String value) {
        return name("thingTypeName", value, THING_NAME, 128);
    }

    static String thingGroupName(String value) {
        return name("thingGroupName", value, THING_NAME, 128);
    }

    static String policyName(String value) {
        return name("policyName", value, POLICY_NAME, 128);
    }

    static long policyVersionId(String value) {
        if (value == null || !VERSION_ID.matcher(value).matches()) {
            throw RampartException.invalidRequest("policyVersionId must be a number such as '1', got " + quote(value));
        }
        return Long.parseLong(value);
    }

    /** A certificate id: 64 hex digits (AWS also accepts a 0x prefix); returned in canonical lower case. */
    static String certificateId(String value) {
        if (value == null || !CERTIFICATE_ID.matcher(value).matches()) {
            throw RampartException.invalidRequest("certificateId must be 64 hexadecimal digits, got " + quote(value));
        }
        return (value.startsWith("0x") ? value.substring(2) : value).toLowerCase(Locale.ROOT);
    }

    static String description(String field, String value) {
        if (value == null) {
            return null;
        }
        if (value.length() > MAX_DESCRIPTION || !DESCRIPTION.matcher(value).matches()) {
            throw RampartException.invalidRequest(field + " must be at most " + MAX_DESCRIPTION
                    + " printable characters (no tabs or newlines)");
        }
        return value;
    }

    static String attributeName(String name) {
        if (name == null || name.length() > 128 || !ATTRIBUTE_NAME.matcher(name).matches()) {
            throw RampartException.invalidRequest("attribute name " + quote(name)
                    + " must be 1 to 128 characters of [a-zA-Z0-9_.,@/:#-]");
        }
        return name;
    }

    static String attributeValue(String name, String value) {
        if (value == null || value.length() > 800 || !ATTRIBUTE_VALUE.matcher(value).matches()) {
            throw RampartException.invalidRequest("value of attribute '" + name
                    + "' must be at most 800 characters of [a-zA-Z0-9_.,@/:#=[]-], got " + quote(value));
        }
        return value;
    }

    static void attributes(Map<String, String> attributes) {
        attributes.forEach((name, value) -> {
            attributeName(name);
            attributeValue(name, value);
        });
    }

    static void attributeCount(int count, boolean typed) {
        int max = typed ? MAX_ATTRIBUTES_TYPED : MAX_ATTRIBUTES_UNTYPED;
        if (count > max) {
            throw RampartException.invalidRequest("a thing " + (typed ? "with" : "without") + " a thing type can have at most "
                    + max + " attributes, got " + count + (typed ? "" : "; give it a thing type to allow up to " + MAX_ATTRIBUTES_TYPED));
        }
    }

    static void searchableAttributes(List<String> names) {
        if (names.size() > MAX_SEARCHABLE_ATTRIBUTES) {
            throw RampartException.invalidRequest("a thing type can have at most " + MAX_SEARCHABLE_ATTRIBUTES
                    + " searchable attributes, got " + names.size());
        }
        names.forEach(Validation::attributeName);
    }

    private static String name(String field, String value, Pattern pattern, int max) {
        if (value == null || value.isEmpty() || value.length() > max || !pattern.matcher(value).matches()) {
            throw RampartException.invalidRequest(field + " must be 1 to " + max + " characters matching "
                    + pattern.pattern() + ", got " + quote(value));
        }
        return value;
    }

    private static String quote(String value) {
        if (value == null) {
            return "nothing";
        }
        String shown = value.length() > 64 ? value.substring(0, 64) + "..." : value;
        return "'" + shown + "'";
    }
}
