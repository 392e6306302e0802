package io.rampart.policy.internal;

import io.rampart.policy.Effect;
import io.rampart.policy.RequestContext;
import io.rampart.policy.SubstitutionMode;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The per-request state of one evaluation: the request, the clock reading, the substitution mode, the context
 * values found missing, and a reusable token buffer. Confined to the evaluating thread.
 */
public final class RequestScope {
    private final RequestContext context;
    private final Instant now;
    private final SubstitutionMode mode;
    private Set<String> missing;
    private int[] buffer;

    public RequestScope(RequestContext context, Instant now, SubstitutionMode mode) {
        this.context = context;
        this.now = now;
        this.mode = mode;
    }

    public RequestContext context() {
        return context;
    }

    public Instant now() {
        return now;
    }

    /** The values of a key, or null (and the key is recorded as missing). */
    public List<String> values(ContextKey key) {
        List<String> values = key.values(context, now);
        if (values == null) {
            markMissing(key.name());
        }
        return values;
    }

    public void markMissing(String name) {
        if (missing == null) {
            missing = new LinkedHashSet<>();
        }
        missing.add(name);
    }

    public List<String> missing() {
        return missing == null ? List.of() : List.copyOf(missing);
    }

    /** The token buffer, grown (keeping its content) to at least {@code capacity}. */
    int[] buffer(int capacity) {
        if (buffer == null) {
            buffer = new int[Math.max(capacity, 32)];
        } else if (buffer.length < capacity) {
            buffer = Arrays.copyOf(buffer, Math.max(capacity, buffer.length * 2));
        }
        return buffer;
    }

    /**
     * The single value a variable substitutes to in a statement with the given effect, or null when it must not be
     * substituted (missing, multi-valued, or refused by the wildcard rules of {@link SubstitutionMode}).
     */
    String substitution(ContextKey key, Effect effect) {
        List<String> values = values(key);
        if (values == null || values.size() != 1) {
            return null;
        }
        String value = values.get(0);
        if (key.fromCertificate() && certificateValueRefused(value)) {
            // AWS leaves such certificate variables unreplaced; under STRICT a Deny still matches them literally.
            return mode == SubstitutionMode.STRICT && effect == Effect.DENY ? value : null;
        }
        if (mode == SubstitutionMode.STRICT && effect == Effect.ALLOW && containsMqttWildcard(value)) {
            return null;
        }
        return value;
    }

    private static boolean certificateValueRefused(String value) {
        if (value.length() > ContextKey.CERTIFICATE_STRING_LIMIT) {
            return true;
        }
        for (int i = 0; i < value.length(); i++) {
            switch (value.charAt(i)) {
                case '*', '$', '+', '?', '#' -> {
                    return true;
                }
                default -> {
                }
            }
        }
        return false;
    }

    private static boolean containsMqttWildcard(String value) {
        return value.indexOf('+') >= 0 || value.indexOf('#') >= 0;
    }
}
