package io.rampart.defender.internal;

import io.rampart.defender.AuditResource;
import io.rampart.defender.CheckConfiguration;
import io.rampart.defender.NodeFacts;
import io.rampart.defender.ResourceIdentifier;
import io.rampart.defender.ResourceType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * RAMPART_PLAIN_LISTENER_ENABLED_CHECK (Rampart's own): the gateway accepts plain, unauthenticated MQTT, every client
 * acting with the plain listener's policy. The reason says whether it is reachable beyond this machine.
 */
record PlainListenerEnabled() implements Check {
    static final String CODE = "PLAIN_LISTENER_ENABLED";

    @Override
    public Outcome run(AuditSnapshot snapshot, CheckConfiguration configuration) {
        Optional<NodeFacts.PlainListener> plain = snapshot.facts().plainListener();
        if (plain.isEmpty()) {
            return new Outcome(1, List.of(), null);
        }
        NodeFacts.PlainListener listener = plain.get();
        boolean loopback = isLoopback(listener.bindAddress());
        String account = snapshot.facts().scope().accountId();
        return new Outcome(1, List.of(new Found(new AuditResource(ResourceType.ACCOUNT_SETTINGS,
                ResourceIdentifier.account(account), Map.of("bindAddress", listener.bindAddress(),
                "port", Integer.toString(listener.port()), "policyName", listener.policyName(),
                "loopbackOnly", Boolean.toString(loopback))), List.of(),
                "The MQTT gateway accepts plain, unauthenticated connections on " + listener.bindAddress() + ":"
                        + listener.port() + ", each acting with policy '" + listener.policyName() + "'"
                        + (loopback ? " (loopback only)" : "; it is reachable from other machines"), CODE)), null);
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
