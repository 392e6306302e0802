package io.rampart.policy.internal;

import java.util.List;

/** The statements of one policy document, compiled once and shared by every evaluation (immutable). */
public record CompiledPolicy(List<CompiledStatement> statements) {
    public CompiledPolicy {
        statements = List.copyOf(statements);
    }
}
