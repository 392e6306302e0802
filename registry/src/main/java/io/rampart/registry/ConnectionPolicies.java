package io.rampart.registry;

import io.rampart.policy.NamedPolicy;
import io.rampart.policy.RequestContext;
import java.util.List;

/**
 * Everything the MQTT gateway needs to authorize a connection's actions, read in one go at CONNECT.
 *
 * @param certificate the client certificate as registered (check its status and validity before accepting)
 * @param caActive false when the certificate was issued by a registered CA that is not ACTIVE
 * @param policies the certificate's policies plus, when a thing named like the client id is attached to the
 *                 certificate, those of the thing's groups and their ancestors (default versions)
 * @param context the request context (client id, thing, certificate fields) the policies are evaluated with;
 *                the gateway adds the source address and time per request
 */
public record ConnectionPolicies(Certificate certificate, boolean caActive, List<NamedPolicy> policies, RequestContext context) {
    public ConnectionPolicies {
        policies = List.copyOf(policies);
    }
}
