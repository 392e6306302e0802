package io.rampart.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.rampart.common.Json;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import software.amazon.awssdk.services.iot.model.IotException;

/** Assertions on how a call failed, as the AWS SDK reports it, and on raw wire shapes. */
final class AwsErrors {
    private AwsErrors() {
    }

    /** The call fails with exactly this modeled exception, its status and a message containing {@code fragment}. */
    static <E extends IotException> E fails(Class<E> type, int status, String fragment, ThrowingCallable call) {
        E error = catchThrowableOfType(type, call);
        assertThat(error).as("expected %s", type.getSimpleName()).isNotNull();
        assertThat(error.statusCode()).isEqualTo(status);
        assertThat(error.awsErrorDetails().errorMessage()).contains(fragment);
        return error;
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.newMapper().readTree(response.body());
    }

    /** restJson1 timestamps are JSON numbers of epoch seconds, never strings. */
    static Instant epochSeconds(JsonNode value) {
        assertThat(value.isNumber()).as("timestamp %s must be a JSON number", value).isTrue();
        BigDecimal seconds = value.decimalValue();
        return Instant.ofEpochMilli(seconds.movePointRight(3).longValue());
    }
}
