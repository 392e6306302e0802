package io.rampart.policy;

/** Whether a policy statement allows or denies what it matches. */
public enum Effect {
    ALLOW("Allow"),
    DENY("Deny");

    private final String jsonName;

    Effect(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The spelling used in policy documents: {@code Allow} or {@code Deny}. */
    public String jsonName() {
        return jsonName;
    }
}
