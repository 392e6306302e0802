package io.rampart.registry;

import java.util.List;

/**
 * The answer to one {@link AuthInfo}: the decision and the policies behind it.
 *
 * @param allowedBy policies with an Allow that matched
 * @param explicitDenyBy policies with a Deny that matched
 * @param implicitDenyBy the policies evaluated when nothing matched (AWS lists them under implicitDeny)
 * @param missingContextValues context keys a condition needed but the request did not carry
 */
public record AuthResult(AuthInfo authInfo, AuthDecision authDecision, List<PolicyRef> allowedBy,
                         List<PolicyRef> explicitDenyBy, List<PolicyRef> implicitDenyBy, List<String> missingContextValues) {
    public AuthResult {
        allowedBy = List.copyOf(allowedBy);
        explicitDenyBy = List.copyOf(explicitDenyBy);
        implicitDenyBy = List.copyOf(implicitDenyBy);
        missingContextValues = List.copyOf(missingContextValues);
    }
}
