package io.rampart.registry;

import java.time.Instant;

/**
 * One version of a policy, as CreatePolicy, CreatePolicyVersion, GetPolicyVersion and ListPolicyVersions answer it.
 *
 * @param versionId "1", "2", ...: increasing and never reused within a policy, as in AWS
 */
public record PolicyVersion(String policyName, String policyArn, String versionId, String document,
                            boolean isDefaultVersion, Instant creationDate, Instant lastModifiedDate, String generationId) {
}
