package io.rampart.analyzer;

import io.rampart.policy.AuthorizationRequest;

import java.util.List;
import java.util.Objects;

/** The answer to one question about policies: proved, refuted by a concrete request, or not decidable here. */
public sealed interface Verdict {

    /**
     * The claim holds for every action and every resource, for each requester listed.
     *
     * @param claim      what was proved, in words
     * @param requesters the requesters it was proved for (one, or the representative devices of
     *                   {@link Assumptions#anyDevice})
     */
    record Proved(String claim, List<String> requesters) implements Verdict {
        public Proved {
            Objects.requireNonNull(claim, "claim");
            requesters = List.copyOf(requesters);
        }
    }

    /**
     * A request that refutes the claim; evaluating it with the policy engine (same scope and substitution mode)
     * gives the decision the explanation states.
     */
    record Counterexample(AuthorizationRequest request, String explanation) implements Verdict {
        public Counterexample {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(explanation, "explanation");
        }
    }

    /** The question could not be decided exactly; each entry names the policy, statement and construct. */
    record Unsupported(List<String> constructs) implements Verdict {
        public Unsupported {
            constructs = List.copyOf(constructs);
            if (constructs.isEmpty()) {
                throw new IllegalArgumentException("an Unsupported verdict names at least one construct");
            }
        }
    }
}
