package io.rampart.policy;

import java.util.List;
import java.util.Objects;

/**
 * A decision together with the context values the evaluation needed but could not find, as AWS IoT's
 * TestAuthorization reports them in {@code missingContextValues} (e.g. {@code iot:Connection.Thing.ThingName}
 * when the thing is not attached).
 */
public record Evaluation(Decision decision, List<String> missingContextValues) {
    public Evaluation {
        Objects.requireNonNull(decision, "decision");
        missingContextValues = List.copyOf(missingContextValues);
    }
}
