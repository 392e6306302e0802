package io.rampart.analyzer;

import java.util.List;

/**
 * What changed between two versions of a policy set, per action: each counterexample is a request one version
 * allows and the other does not (at most one per action, known AWS IoT actions first, then any other action).
 *
 * @param added       requests the new version allows and the old did not
 * @param removed     requests the old version allowed and the new does not
 * @param unsupported constructs that kept the comparison from being exact (then the lists may be incomplete)
 */
public record PolicyDiff(List<Verdict.Counterexample> added, List<Verdict.Counterexample> removed,
                         List<String> unsupported) {
    public PolicyDiff {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        unsupported = List.copyOf(unsupported);
    }

    /** True when the versions allow exactly the same requests (and the comparison was exact). */
    public boolean unchanged() {
        return added.isEmpty() && removed.isEmpty() && unsupported.isEmpty();
    }
}
