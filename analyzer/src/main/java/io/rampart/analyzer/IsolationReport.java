package io.rampart.analyzer;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** One verdict per {@link IsolationCheck}: Proved means the device cannot do it. */
public record IsolationReport(Map<IsolationCheck, Verdict> verdicts) {
    public IsolationReport {
        verdicts = Collections.unmodifiableMap(new EnumMap<>(verdicts));
    }

    /** True when every check is proved. */
    public boolean isolated() {
        return verdicts.values().stream().allMatch(v -> v instanceof Verdict.Proved);
    }

    public Verdict verdict(IsolationCheck check) {
        return verdicts.get(check);
    }
}
