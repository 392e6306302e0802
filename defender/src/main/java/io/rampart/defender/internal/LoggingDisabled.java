package io.rampart.defender.internal;

import io.rampart.defender.AuditResource;
import io.rampart.defender.CheckConfiguration;
import io.rampart.defender.IotLogLevel;
import io.rampart.defender.LoggingStatus;
import io.rampart.defender.ResourceIdentifier;
import io.rampart.defender.ResourceType;
import java.util.List;
import java.util.Map;

/** LOGGING_DISABLED_CHECK: the node's default log level for device activity is DISABLED. */
record LoggingDisabled() implements Check {
    static final String CODE = "LOGGING_DISABLED";

    @Override
    public Outcome run(AuditSnapshot snapshot, CheckConfiguration configuration) {
        LoggingStatus logging = snapshot.facts().logging().orElseThrow(() -> new CannotRun("LOGGING_STATUS_UNAVAILABLE",
                "this node has no logging settings to read (SetV2LoggingOptions is not wired to the audit)"));
        IotLogLevel level = logging.defaultLogLevel();
        if (level != IotLogLevel.DISABLED) {
            return new Outcome(1, List.of(), null);
        }
        String account = snapshot.facts().scope().accountId();
        return new Outcome(1, List.of(new Found(new AuditResource(ResourceType.ACCOUNT_SETTINGS,
                ResourceIdentifier.account(account), Map.of("defaultLogLevel", level.name())), List.of(),
                "Logging is disabled for account " + account + " (default log level DISABLED)", CODE)), null);
    }
}
