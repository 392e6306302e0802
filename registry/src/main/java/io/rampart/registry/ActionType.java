package io.rampart.registry;

/** The MQTT actions TestAuthorization asks about, with the policy action each one is checked as. */
public enum ActionType {
    PUBLISH("iot:Publish"), SUBSCRIBE("iot:Subscribe"), RECEIVE("iot:Receive"), CONNECT("iot:Connect");

    private final String policyAction;

    ActionType(String policyAction) {
        this.policyAction = policyAction;
    }

    /** The action name as written in a policy statement, e.g. {@code iot:Publish}. */
    public String policyAction() {
        return policyAction;
    }
}
