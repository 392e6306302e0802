package io.rampart.policy;

import io.rampart.common.ErrorType;
import io.rampart.common.RampartException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class PolicyDocumentParseTest {
    private static final String ARN = "arn:aws:iot:us-east-1:123456789012:topic/a";

    private static String doc(String statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":" + statements + "}";
    }

    private static String allow(String extra) {
        return "{\"Effect\":\"Allow\",\"Action\":\"iot:Publish\",\"Resource\":\"" + ARN + "\"" + extra + "}";
    }

    @Test
    void keepsTheOriginalTextAndTheStatementsAsWritten() {
        String text = """
                {
                  "Version": "2012-10-17",
                  "Statement": {"Sid": "pub", "Effect": "Deny", "NotAction": ["iot:Connect", "iot:Subscribe"],
                                "Resource": "*", "Condition": {"StringLike": {"iot:ClientId": ["a*", 7, true]}}}
                }""";

        PolicyDocument document = PolicyDocument.parse(text);

        assertThat(document.text()).isEqualTo(text);
        assertThat(document.version()).isEqualTo("2012-10-17");
        assertThat(document.statements()).containsExactly(new Statement(1, Optional.of("pub"), Effect.DENY, true,
                List.of("iot:Connect", "iot:Subscribe"), false, List.of("*"),
                List.of(new Condition("StringLike", "iot:ClientId", List.of("a*", "7", "true")))));
    }

    @Test
    void acceptsTheLegacyVersionAndSetQualifiedIfExistsOperators() {
        PolicyDocument legacy = PolicyDocument.parse("{\"Version\":\"2008-10-17\",\"Statement\":" + allow("") + "}");
        PolicyDocument qualified = PolicyDocument.parse(doc(allow(
                ",\"Condition\":{\"ForAnyValue:StringNotEqualsIfExists\":{\"iot:Certificate.Subject.OrganizationalUnit.List\":\"x\"},"
                        + "\"NumericLessThan\":{\"iot:Connection.Thing.Attributes[limit]\":\"${iot:ClientId}\"}}")));

        assertThat(legacy.version()).isEqualTo("2008-10-17");
        assertThat(qualified.statements().get(0).conditions()).hasSize(2);
    }

    static Stream<Arguments> malformedDocuments() {
        return Stream.of(
                arguments("not JSON", "{\"Version\":", "policy document is not valid JSON"),
                arguments("trailing content", doc(allow("")) + " {}", "policy document is not valid JSON"),
                arguments("duplicate element", "{\"Version\":\"2012-10-17\",\"Version\":\"2012-10-17\",\"Statement\":"
                        + allow("") + "}", "policy document is not valid JSON: Duplicate field 'Version'"),
                arguments("array document", "[" + allow("") + "]", "policy document must be a JSON object"),
                arguments("blank document", "   ", "policy document is empty"),
                arguments("missing version", "{\"Statement\":" + allow("") + "}", "Version is required"),
                arguments("unknown version", "{\"Version\":\"2012-10-18\",\"Statement\":" + allow("") + "}",
                        "Version must be \"2012-10-17\" (or \"2008-10-17\"), got \"2012-10-18\""),
                arguments("unknown top-level element", "{\"Version\":\"2012-10-17\",\"Statements\":[]}",
                        "unknown top-level element 'Statements'; allowed: Version, Id, Statement"),
                arguments("missing statement", "{\"Version\":\"2012-10-17\"}", "Statement is required"),
                arguments("empty statement list", doc("[]"),
                        "Statement must be an object or a non-empty array of objects"),
                arguments("statement that is not an object", doc("[" + allow("") + ",\"x\"]"),
                        "statement 2: must be a JSON object, got string"),
                arguments("resource that is not an ARN", doc("[" + allow("") + ","
                                + "{\"Effect\":\"Allow\",\"Action\":\"iot:Publish\",\"Resource\":\"topic/a\"}]"),
                        "statement 2: Resource must be an ARN or *, got 'topic/a'"),
                arguments("NotResource that is not an ARN",
                        doc("{\"Effect\":\"Allow\",\"Action\":\"iot:Publish\",\"NotResource\":[\"*\",\"arn:aws:iot\"]}"),
                        "statement 1: NotResource must be an ARN or *, got 'arn:aws:iot'"),
                arguments("empty resource", doc("{\"Effect\":\"Allow\",\"Action\":\"iot:Publish\",\"Resource\":[\"\"]}"),
                        "statement 1: Resource must not contain an empty string"),
                arguments("lower-case effect", doc("{\"Effect\":\"allow\",\"Action\":\"iot:*\",\"Resource\":\"*\"}"),
                        "statement 1: Effect must be Allow or Deny, got \"allow\""),
                arguments("missing effect", doc("{\"Action\":\"iot:*\",\"Resource\":\"*\"}"),
                        "statement 1: Effect is required (Allow or Deny)"),
                arguments("Action and NotAction", doc("{\"Effect\":\"Allow\",\"Action\":\"iot:*\",\"NotAction\":"
                        + "\"iot:Publish\",\"Resource\":\"*\"}"), "statement 1: has both Action and NotAction; use one"),
                arguments("no action", doc("{\"Effect\":\"Allow\",\"Resource\":\"*\"}"),
                        "statement 1: Action (or NotAction) is required"),
                arguments("no resource", doc("{\"Effect\":\"Allow\",\"Action\":\"iot:*\"}"),
                        "statement 1: Resource (or NotResource) is required"),
                arguments("action without service", doc("{\"Effect\":\"Allow\",\"Action\":\"Publish\",\"Resource\":\"*\"}"),
                        "statement 1: Action must be * or 'service:action' (e.g. iot:Publish), got 'Publish'"),
                arguments("empty action list", doc("{\"Effect\":\"Allow\",\"Action\":[],\"Resource\":\"*\"}"),
                        "statement 1: Action must be a string or a non-empty array of strings"),
                arguments("numeric action", doc("{\"Effect\":\"Allow\",\"Action\":[1],\"Resource\":\"*\"}"),
                        "statement 1: Action entries must be strings, got 1"),
                arguments("principal", doc("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"iot:*\",\"Resource\":\"*\"}"),
                        "statement 1: Principal is not supported: AWS IoT policies are attached to their principals"),
                arguments("unknown statement element", doc("[" + allow("") + "," + allow("") + "," + allow(",\"Actions\":\"x\"") + "]"),
                        "statement 3: unknown element 'Actions'"),
                arguments("numeric sid", doc(allow(",\"Sid\":3")), "statement 1: Sid must be a string"),
                arguments("unknown condition operator", doc(allow(",\"Condition\":{\"StringEqualz\":{\"iot:ClientId\":\"a\"}}")),
                        "statement 1: Condition operator 'StringEqualz' is not supported"),
                arguments("operator in the wrong case", doc(allow(",\"Condition\":{\"stringEquals\":{\"iot:ClientId\":\"a\"}}")),
                        "statement 1: Condition operator 'stringEquals' is not supported"),
                arguments("set qualifier on Null", doc(allow(",\"Condition\":{\"ForAnyValue:Null\":{\"iot:ClientId\":\"true\"}}")),
                        "statement 1: Condition operator 'ForAnyValue:Null' is not supported"),
                arguments("NullIfExists", doc(allow(",\"Condition\":{\"NullIfExists\":{\"iot:ClientId\":\"true\"}}")),
                        "statement 1: Condition operator 'NullIfExists' is not supported"),
                arguments("condition that is an array", doc(allow(",\"Condition\":[]")),
                        "statement 1: Condition must be a non-empty object of {operator: {key: value(s)}}"),
                arguments("operator without keys", doc(allow(",\"Condition\":{\"Bool\":{}}")),
                        "statement 1: Condition Bool must be a non-empty object of {key: value(s)}"),
                arguments("object condition value", doc(allow(",\"Condition\":{\"StringEquals\":{\"iot:ClientId\":{\"a\":1}}}")),
                        "statement 1: Condition StringEquals 'iot:ClientId' must be a string, number, boolean or a non-empty array of them"),
                arguments("non-numeric number", doc(allow(",\"Condition\":{\"NumericLessThan\":{\"aws:EpochTime\":\"soon\"}}")),
                        "statement 1: Condition NumericLessThan 'aws:EpochTime' value must be a number, got 'soon'"),
                arguments("non-date date", doc(allow(",\"Condition\":{\"DateLessThan\":{\"aws:CurrentTime\":\"tomorrow\"}}")),
                        "statement 1: Condition DateLessThan 'aws:CurrentTime' value must be an ISO 8601 date or epoch seconds, got 'tomorrow'"),
                arguments("non-boolean bool", doc(allow(",\"Condition\":{\"Bool\":{\"iot:Connection.Thing.IsAttached\":\"yes\"}}")),
                        "statement 1: Condition Bool 'iot:Connection.Thing.IsAttached' value must be true or false, got 'yes'"),
                arguments("host name in IpAddress", doc(allow(",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"example.com\"}}")),
                        "statement 1: Condition IpAddress 'aws:SourceIp' value must be an IPv4/IPv6 address or CIDR block, got 'example.com'"),
                arguments("prefix too long", doc(allow(",\"Condition\":{\"NotIpAddress\":{\"aws:SourceIp\":\"10.0.0.0/33\"}}")),
                        "statement 1: Condition NotIpAddress 'aws:SourceIp' value must be an IPv4/IPv6 address or CIDR block, got '10.0.0.0/33'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedDocuments")
    void rejectsMalformedDocumentsNamingStatementAndField(String description, String json, String message) {
        assertThatThrownBy(() -> PolicyDocument.parse(json))
                .isInstanceOf(RampartException.class)
                .satisfies(e -> assertThat(((RampartException) e).type()).isEqualTo(ErrorType.MALFORMED_POLICY))
                .hasMessageStartingWith(message);
    }

    @Test
    void rejectsADocumentOverTheSizeLimitCountingOnlyNonWhitespace() {
        String base = doc(allow(",\"Sid\":\"\""));
        int padding = PolicyLimits.AWS_MAX_DOCUMENT_CHARACTERS - base.replaceAll("\\s", "").length();
        String atLimit = base.replace("\"Sid\":\"\"", "\"Sid\":\"" + "x".repeat(padding) + "\"");
        String overLimit = base.replace("\"Sid\":\"\"", "\"Sid\":\"" + "x".repeat(padding + 1) + "\"");

        assertThat(PolicyDocument.parse(atLimit + " ".repeat(5000)).statements()).hasSize(1);
        assertThatThrownBy(() -> PolicyDocument.parse(overLimit))
                .hasMessage("policy document is 2049 characters long without whitespace; the limit is 2048");
    }

    @Test
    void appliesConfiguredLimits() {
        String json = doc(allow(""));

        assertThatThrownBy(() -> PolicyDocument.parse(json, new PolicyLimits(50)))
                .hasMessageContaining("the limit is 50");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void refusesNonPositiveLimits(int limit) {
        assertThatThrownBy(() -> new PolicyLimits(limit))
                .isInstanceOf(RampartException.class)
                .hasMessage("maxDocumentCharacters must be positive, got " + limit);
    }

    @Test
    void documentsAreEqualWhenTheirTextIs() {
        String json = doc(allow(""));

        assertThat(PolicyDocument.parse(json)).isEqualTo(PolicyDocument.parse(json))
                .isNotEqualTo(PolicyDocument.parse(json + "\n"));
    }
}
