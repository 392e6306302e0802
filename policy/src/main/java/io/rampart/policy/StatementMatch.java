package io.rampart.policy;

import java.util.Objects;

/** Names the statement that decided: the policy's name and the statement's 1-based index in its document. */
public record StatementMatch(String policyName, int statementIndex) {
    public StatementMatch {
        Objects.requireNonNull(policyName, "policyName");
    }
}
