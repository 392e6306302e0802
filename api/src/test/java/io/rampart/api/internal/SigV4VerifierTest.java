package io.rampart.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rampart.common.ErrorType;
import io.rampart.common.RampartException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/** SigV4 verification against AWS's published example and against the AWS SDK's own signer. */
class SigV4VerifierTest {
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final Instant SIGNED_AT = Instant.parse("2015-08-30T12:36:00Z");

    private static Map<String, List<String>> lower(Map<String, List<String>> headers) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        headers.forEach((k, v) -> out.computeIfAbsent(k.toLowerCase(Locale.ROOT), n -> new java.util.ArrayList<>()).addAll(v));
        return out;
    }

    /** The worked example of AWS's "Signature Version 4 signing process" (IAM ListUsers, 2015-08-30). */
    @Test
    void awsDocumentedExampleVerifies() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("content-type", List.of("application/x-www-form-urlencoded; charset=utf-8"));
        headers.put("host", List.of("iam.amazonaws.com"));
        headers.put("x-amz-date", List.of("20150830T123600Z"));
        headers.put("authorization", List.of("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
                + "SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"));
        var request = new SigV4Verifier.SignedRequest("GET", "/", "Action=ListUsers&Version=2010-05-08", headers, new byte[0]);
        SigV4Verifier verifier = new SigV4Verifier("us-east-1", Duration.ofMinutes(15), Clock.fixed(SIGNED_AT, ZoneOffset.UTC));
        SigV4Verifier.ParsedSignature parsed = verifier.parse(request, "iam");
        assertThat(parsed.accessKeyId()).isEqualTo("AKIDEXAMPLE");
        assertThat(SigV4Verifier.sha256Hex(SigV4Verifier.canonicalRequest(request, parsed.signedHeaders()).getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
        assertThatCode(() -> verifier.verify(request, parsed, SECRET.getBytes(StandardCharsets.UTF_8))).doesNotThrowAnyException();
        assertThatThrownBy(() -> verifier.verify(request, parsed, "x".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(RampartException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.INVALID_SIGNATURE));
    }

    @Test
    void canonicalQuerySortsByNameThenValueAndGivesBareNamesAnEmptyValue() {
        assertThat(SigV4Verifier.canonicalQuery("b=2&a=2&a=1&forceDelete&x=a%20b&y=%2f"))
                .isEqualTo("a=1&a=2&b=2&forceDelete=&x=a%20b&y=%2F");
    }

    @Test
    void canonicalUriEncodesTheReceivedPathAgainAndRemovesDotSegments() {
        assertThat(SigV4Verifier.canonicalUri("/things/a%2Fb")).isEqualTo("/things/a%252Fb");
        assertThat(SigV4Verifier.canonicalUri("/a/./b/../c/")).isEqualTo("/a/c/");
        assertThat(SigV4Verifier.canonicalUri("")).isEqualTo("/");
    }

    @Provide
    Arbitrary<String> segments() {
        return Arbitraries.strings().all().ofMinLength(1).ofMaxLength(12)
                .filter(s -> !s.equals(".") && !s.equals("..") && s.chars().noneMatch(c -> Character.isSurrogate((char) c)));
    }

    /** Whatever path, query and body an SDK client sends, the signature its signer made verifies here. */
    @Property(tries = 150)
    void anySdkSignedRequestVerifies(@ForAll("segments") String segment, @ForAll("segments") String queryName,
                                     @ForAll("segments") String queryValue, @ForAll @Size(max = 64) String body) {
        URI uri = URI.create("https://127.0.0.1:8443/things/" + SdkHttpUtils.urlEncode(segment) + "/x?"
                + SdkHttpUtils.urlEncode(queryName) + "=" + SdkHttpUtils.urlEncode(queryValue) + "&flag");
        Instant now = Instant.parse("2026-01-02T03:04:05Z");
        var signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create("AKIAEXAMPLEEXAMPLE00", SECRET))
                .request(SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri)
                        .putHeader("Content-Type", "application/json").putHeader("X-Custom", "  a   b  ").build())
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "iot")
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(now, ZoneOffset.UTC)));
        URI sent = signed.request().getUri();
        var request = new SigV4Verifier.SignedRequest("POST", sent.getRawPath(), sent.getRawQuery(),
                lower(signed.request().headers()), body.getBytes(StandardCharsets.UTF_8));
        SigV4Verifier verifier = new SigV4Verifier("us-east-1", Duration.ofMinutes(15), Clock.fixed(now.plusSeconds(60), ZoneOffset.UTC));
        var parsed = verifier.parse(request, "iot");
        assertThatCode(() -> verifier.verify(request, parsed, SECRET.getBytes(StandardCharsets.UTF_8))).doesNotThrowAnyException();

        var tampered = new SigV4Verifier.SignedRequest("POST", sent.getRawPath(), sent.getRawQuery(),
                lower(signed.request().headers()), (body + " ").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> verifier.verify(tampered, verifier.parse(tampered, "iot"), SECRET.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RampartException.class);
    }

    private static final String GOOD_AUTHORIZATION = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";

    private static ErrorType parseFailure(String authorization, String amzDate) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("content-type", List.of("application/x-www-form-urlencoded; charset=utf-8"));
        headers.put("host", List.of("iam.amazonaws.com"));
        if (amzDate != null) {
            headers.put("x-amz-date", List.of(amzDate));
        }
        headers.put("authorization", List.of(authorization));
        var request = new SigV4Verifier.SignedRequest("GET", "/", "Action=ListUsers&Version=2010-05-08", headers, new byte[0]);
        SigV4Verifier verifier = new SigV4Verifier("us-east-1", Duration.ofMinutes(15), Clock.fixed(SIGNED_AT, ZoneOffset.UTC));
        try {
            verifier.verify(request, verifier.parse(request, "iam"), SECRET.getBytes(StandardCharsets.UTF_8));
            return null;
        } catch (RampartException e) {
            return e.type();
        }
    }

    @Test
    void malformedAuthorizationHeadersAreIncompleteSignatures() {
        assertThat(parseFailure(GOOD_AUTHORIZATION, "20150830T123600Z")).isNull();
        assertThat(parseFailure(GOOD_AUTHORIZATION, null)).isEqualTo(ErrorType.INCOMPLETE_SIGNATURE);
        assertThat(parseFailure(GOOD_AUTHORIZATION, "2015-08-30T12:36:00Z")).isEqualTo(ErrorType.INCOMPLETE_SIGNATURE);
        assertThat(parseFailure(GOOD_AUTHORIZATION.replace("aws4_request", "aws5_request"), "20150830T123600Z"))
                .isEqualTo(ErrorType.INCOMPLETE_SIGNATURE);
        assertThat(parseFailure(GOOD_AUTHORIZATION.replace("Signature=5d", "Signature=zz"), "20150830T123600Z"))
                .isEqualTo(ErrorType.INCOMPLETE_SIGNATURE);
        assertThat(parseFailure(GOOD_AUTHORIZATION.replace("content-type;host;x-amz-date", "content-type;x-amz-date"), "20150830T123600Z"))
                .isEqualTo(ErrorType.INCOMPLETE_SIGNATURE);
        assertThat(parseFailure(GOOD_AUTHORIZATION.replace(", SignedHeaders=content-type;host;x-amz-date", ""), "20150830T123600Z"))
                .isEqualTo(ErrorType.INCOMPLETE_SIGNATURE);
        assertThat(parseFailure("AWS4-HMAC-SHA256 Credential", "20150830T123600Z")).isEqualTo(ErrorType.INCOMPLETE_SIGNATURE);
    }

    @Test
    void signatureThatDoesNotCoverWhatWasSentIsInvalid() {
        assertThat(parseFailure(GOOD_AUTHORIZATION.replace("20150830/", "20150831/"), "20150830T123600Z"))
                .isEqualTo(ErrorType.INVALID_SIGNATURE);
        assertThat(parseFailure(GOOD_AUTHORIZATION.replace("content-type;host;x-amz-date", "content-type;host;x-amz-date;x-missing"),
                "20150830T123600Z")).isEqualTo(ErrorType.INVALID_SIGNATURE);
        assertThat(parseFailure(GOOD_AUTHORIZATION, "20150830T123601Z")).isEqualTo(ErrorType.INVALID_SIGNATURE);
    }
}
