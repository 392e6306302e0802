package io.rampart.registry;

/** A policy's name and ARN (AWS Policy in list answers). */
public record PolicyRef(String policyName, String policyArn) {
}
