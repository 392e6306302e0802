package io.rampart.registry;

import java.util.List;

/**
 * Which policies apply to a principal, and what they decide: GetEffectivePolicies and TestAuthorization.
 *
 * <p>The policies of a certificate are those attached to it plus, when a thing named like the client id
 * (or {@code thingName}) is attached to the certificate, those attached to the thing's groups and to
 * all their ancestor groups.
 */
public interface Authorizations {
    /**
     * GetEffectivePolicies.
     *
     * @param principal a certificate ARN or id, or a thing-group ARN
     * @param thingName null, or a thing whose groups' policies also apply
     */
    List<EffectivePolicy> effectivePolicies(String principal, String thingName);

    /**
     * TestAuthorization: evaluates each question with the principal's policies, plus {@code policyNamesToAdd}
     * and minus {@code policyNamesToSkip}, with the thing named {@code clientId} supplying thing variables.
     */
    List<AuthResult> testAuthorization(String principal, String clientId, List<AuthInfo> authInfos,
                                       List<String> policyNamesToAdd, List<String> policyNamesToSkip);

    /**
     * The policies and context of an MQTT connection by certificate {@code certificateId} with {@code clientId},
     * in a fixed number of queries; ResourceNotFoundException for an unknown certificate.
     */
    ConnectionPolicies forConnection(String certificateId, String clientId);
}
