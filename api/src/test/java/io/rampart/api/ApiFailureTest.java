package io.rampart.api;

import static io.rampart.api.ApiTestNode.header;
import static org.assertj.core.api.Assertions.assertThat;

import io.rampart.common.ErrorType;
import io.rampart.common.RampartException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a client sees when a handler fails in a way nobody planned for. */
class ApiFailureTest {
    private static final String INTERNAL_DETAIL = "jdbc:postgresql://db/prod?password=hunter2";

    @RegisterExtension
    static final ApiTestNode node = new ApiTestNode(List.of(services -> List.of(
            Route.read("GET", "/test/crash", "Crash", request -> {
                throw new IllegalStateException("connection refused: " + INTERNAL_DETAIL);
            }),
            Route.read("GET", "/test/internal", "Internal", request -> {
                throw new RampartException(ErrorType.INTERNAL_FAILURE, "database operation failed on " + INTERNAL_DETAIL);
            }),
            Route.read("GET", "/test/echo/{value}", "Echo", request ->
                    ApiResponse.ok(Map.of("value", request.pathParam("value"), "q", request.query("q").orElseThrow()))))));

    @Test
    void unexpectedExceptionIsInternalFailureWithoutItsDetails() throws Exception {
        HttpResponse<String> response = node.send("GET", "/test/crash", null);
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(header(response, "x-amzn-ErrorType")).isEqualTo("InternalFailureException");
        assertThat(response.body()).doesNotContain("hunter2").doesNotContain("IllegalStateException").doesNotContain("connection refused")
                .contains(header(response, "x-amzn-RequestId"));
    }

    @Test
    void internalFailureRaisedByAServiceIsAlsoStrippedOfItsMessage() throws Exception {
        HttpResponse<String> response = node.send("GET", "/test/internal", null);
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).doesNotContain("hunter2").doesNotContain("database");
    }

    @Test
    void handlersSeeDecodedPathAndQueryValuesAndTheFirstOfARepeatedParameter() throws Exception {
        HttpResponse<String> response = node.send("GET", "/test/echo/a%20b?q=x%26y&q=1", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(io.rampart.common.Json.newMapper().readTree(response.body()))
                .isEqualTo(io.rampart.common.Json.newMapper().readTree("{\"value\":\"a b\",\"q\":\"x&y\"}"));
    }
}
