package io.rampart.shadow.internal;

/**
 * A shadow as the store holds it for one incarnation of its thing.
 *
 * @param state   null when the shadow does not exist (never created, or deleted)
 * @param version the current version; kept across a delete, 0 when never created
 */
public record StoredShadow(ShadowState state, long version) {
    public static final StoredShadow ABSENT = new StoredShadow(null, 0);

    public boolean exists() {
        return state != null;
    }
}
