package io.rampart.analyzer;

import io.rampart.policy.AuthorizationRequest;
import io.rampart.policy.Decision;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One concrete request seen both ways: the policy engine's decision (with the statements that decided it) and
 * whether the analyzer's compiled language contains the request. The two always agree; {@link #agrees} is there
 * so a disagreement (a bug) is visible rather than hidden.
 *
 * @param request              the request as evaluated (its time filled in when it had none)
 * @param missingContextValues context keys the engine needed and the request did not carry
 * @param analyzerAllows       the analyzer's answer; empty when it cannot compile the policies exactly
 * @param unsupported          why the analyzer has no answer (empty when it has one)
 */
public record PolicyExplanation(AuthorizationRequest request, Decision decision, List<String> missingContextValues,
                                Optional<Boolean> analyzerAllows, List<String> unsupported) {
    public PolicyExplanation {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(decision, "decision");
        missingContextValues = List.copyOf(missingContextValues);
        Objects.requireNonNull(analyzerAllows, "analyzerAllows");
        unsupported = List.copyOf(unsupported);
    }

    /** True unless the analyzer has an answer and it differs from the engine's. */
    public boolean agrees() {
        return analyzerAllows.map(allows -> allows == decision.isAllowed()).orElse(true);
    }
}
