package io.rampart.registry;

import io.rampart.common.Page;

/**
 * Policy attachments (to a certificate ARN or a thing-group ARN) and thing-principal attachments.
 * Targets and principals are ARNs, e.g. {@code arn:aws:iot:us-east-1:000000000000:cert/<id>}.
 */
public interface Attachments {
    /** AttachPolicy; attaching again is not an error; more than {@link RegistryLimits#maxPoliciesPerTarget()} is a LimitExceededException. */
    void attachPolicy(String policyName, String targetArn);

    /** DetachPolicy; an unknown policy or target is a ResourceNotFoundException. */
    void detachPolicy(String policyName, String targetArn);

    /** ListTargetsForPolicy: target ARNs. */
    Page<String> listTargetsForPolicy(String policyName, Page.Request page);

    /** ListAttachedPolicies; with {@code recursive} on a thing-group target, also the policies of its ancestors. */
    Page<PolicyRef> listAttachedPolicies(String targetArn, boolean recursive, Page.Request page);

    /** AttachThingPrincipal; attaching again is not an error. */
    void attachThingPrincipal(String thingName, String principalArn);

    /** DetachThingPrincipal. */
    void detachThingPrincipal(String thingName, String principalArn);

    /** ListThingPrincipals: principal ARNs attached to the thing. */
    Page<String> listThingPrincipals(String thingName, Page.Request page);

    /** ListPrincipalThings: names of the things the principal is attached to. */
    Page<String> listPrincipalThings(String principalArn, Page.Request page);
}
