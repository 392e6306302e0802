package io.rampart.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One statement of a policy document, as written (after validation).
 *
 * @param index       1-based position in the document, as used in error messages and {@link StatementMatch}
 * @param sid         the optional {@code Sid}
 * @param notAction   true when the statement used {@code NotAction} (it then applies to every other action)
 * @param actions     the {@code Action} or {@code NotAction} patterns
 * @param notResource true when the statement used {@code NotResource}
 * @param resources   the {@code Resource} or {@code NotResource} patterns
 * @param conditions  every condition of the {@code Condition} block; all must hold
 */
public record Statement(int index, Optional<String> sid, Effect effect, boolean notAction, List<String> actions,
                        boolean notResource, List<String> resources, List<Condition> conditions) {
    public Statement {
        Objects.requireNonNull(sid, "sid");
        Objects.requireNonNull(effect, "effect");
        actions = List.copyOf(actions);
        resources = List.copyOf(resources);
        conditions = List.copyOf(conditions);
    }
}
