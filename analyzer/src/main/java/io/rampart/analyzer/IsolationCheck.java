package io.rampart.analyzer;

/** The device-isolation properties {@link PolicyAnalyzer#checkDeviceIsolation} decides. */
public enum IsolationCheck {
    /** iot:Connect with a client id other than the device's own. */
    CONNECT_AS_OTHER_CLIENT,
    /** iot:Publish or iot:RetainPublish on a topic outside the device's namespace. */
    PUBLISH_OUTSIDE_NAMESPACE,
    /** iot:Receive on a topic outside the device's namespace. */
    RECEIVE_OUTSIDE_NAMESPACE,
    /**
     * iot:Subscribe to a filter that (as an MQTT filter) can match a topic outside the namespace; a filter is inside
     * only if it is the namespace root or below it and its namespace part contains no {@code +} or {@code #}.
     */
    SUBSCRIBE_OUTSIDE_NAMESPACE,
    /** Any access to another thing's shadow: its shadow topics (publish, receive, subscribe) or shadow actions. */
    OTHER_THING_SHADOW,
    /** Any access to another thing's jobs: its jobs topics or the job-execution actions on it. */
    OTHER_THING_JOBS,
    /** iot:Subscribe to the filter {@code #} (every topic). */
    ROOT_WILDCARD_SUBSCRIBE
}
