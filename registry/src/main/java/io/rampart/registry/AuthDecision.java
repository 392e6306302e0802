package io.rampart.registry;

/** The outcome of one TestAuthorization question, named as AWS names it. */
public enum AuthDecision {
    ALLOWED, EXPLICIT_DENY, IMPLICIT_DENY
}
