package io.rampart.policy.internal;

import io.rampart.policy.Effect;

import java.util.List;
import java.util.Locale;

/**
 * A statement compiled for evaluation: action patterns lower-cased (actions are case-insensitive), resource
 * templates (case-sensitive) and conditions.
 */
public final class CompiledStatement {
    private final int index;
    private final Effect effect;
    private final boolean notAction;
    private final int[][] actions;
    private final boolean notResource;
    private final Template[] resources;
    private final CompiledCondition[] conditions;

    public CompiledStatement(int index, Effect effect, boolean notAction, List<String> actions, boolean notResource,
                             List<Template> resources, List<CompiledCondition> conditions) {
        this.index = index;
        this.effect = effect;
        this.notAction = notAction;
        this.actions = actions.stream().map(a -> Glob.compile(a.toLowerCase(Locale.ROOT))).toArray(int[][]::new);
        this.notResource = notResource;
        this.resources = resources.toArray(Template[]::new);
        this.conditions = conditions.toArray(CompiledCondition[]::new);
    }

    public int index() {
        return index;
    }

    public Effect effect() {
        return effect;
    }

    /** True when this statement applies to the request (action, resource and every condition match). */
    public boolean applies(String action, String resource, RequestScope scope) {
        return actionMatches(action) && resourceMatches(resource, scope) && conditionsHold(scope);
    }

    private boolean actionMatches(String action) {
        boolean listed = false;
        for (int[] pattern : actions) {
            if (Glob.matchesIgnoreCase(pattern, action)) {
                listed = true;
                break;
            }
        }
        return listed != notAction;
    }

    private boolean resourceMatches(String resource, RequestScope scope) {
        boolean listed = false;
        for (Template pattern : resources) {
            if (pattern.matchesEverything() || pattern.matches(resource, scope, effect)) {
                listed = true;
                break;
            }
            if (notResource && effect == Effect.ALLOW && !resolvable(pattern, scope)) {
                // An unresolvable NotResource element must not turn into "everything else" for an Allow.
                return false;
            }
        }
        return listed != notResource;
    }

    private boolean resolvable(Template pattern, RequestScope scope) {
        return pattern.variables().isEmpty() || pattern.value(scope, effect) != null;
    }

    private boolean conditionsHold(RequestScope scope) {
        for (CompiledCondition condition : conditions) {
            if (!condition.holds(scope, effect)) {
                return false;
            }
        }
        return true;
    }
}
