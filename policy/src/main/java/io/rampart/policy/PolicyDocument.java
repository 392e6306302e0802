package io.rampart.policy;

import io.rampart.policy.internal.CompiledPolicy;
import io.rampart.policy.internal.PolicyParser;

import java.util.List;
import java.util.Objects;

/**
 * A validated AWS IoT policy document: its statements as written, its original text, and (hidden) the compiled
 * matchers the {@link PolicyEngine} evaluates, built once here so no request ever recompiles a pattern.
 *
 * <p>A final class rather than a record so the compiled form stays out of the public API; equality is by text.
 * Instances are immutable and safe to share between threads.
 */
public final class PolicyDocument {
    /** Immutable and thread-safe (it only holds a configured Jackson reader), so one instance serves every parse. */
    private static final PolicyParser PARSER = new PolicyParser();

    private final String version;
    private final List<Statement> statements;
    private final String text;
    private final CompiledPolicy compiled;

    private PolicyDocument(String version, List<Statement> statements, String text, CompiledPolicy compiled) {
        this.version = version;
        this.statements = List.copyOf(statements);
        this.text = text;
        this.compiled = compiled;
    }

    /** Parses and validates a document with AWS IoT's limits; throws MALFORMED_POLICY naming statement and field. */
    public static PolicyDocument parse(String json) {
        return parse(json, PolicyLimits.awsDefaults());
    }

    /** Parses and validates a document with the given limits. */
    public static PolicyDocument parse(String json, PolicyLimits limits) {
        Objects.requireNonNull(limits, "limits");
        PolicyParser.Parsed parsed = PARSER.parse(json, limits);
        return new PolicyDocument(parsed.version(), parsed.statements(), json, parsed.compiled());
    }

    /** The policy language version, {@code 2012-10-17} (or the legacy {@code 2008-10-17}, without variables). */
    public String version() {
        return version;
    }

    /** The statements in document order; {@link Statement#index()} is 1-based. */
    public List<Statement> statements() {
        return statements;
    }

    /** The document exactly as submitted (AWS returns it unchanged from GetPolicy). */
    public String text() {
        return text;
    }

    CompiledPolicy compiled() {
        return compiled;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PolicyDocument other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
