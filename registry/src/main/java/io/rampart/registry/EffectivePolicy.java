package io.rampart.registry;

/** A policy that applies to a principal, with its default version's document (AWS EffectivePolicy). */
public record EffectivePolicy(String policyName, String policyArn, String policyDocument) {
}
