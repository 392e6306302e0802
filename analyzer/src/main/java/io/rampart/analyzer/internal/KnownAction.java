package io.rampart.analyzer.internal;

import java.util.List;
import java.util.Locale;

/**
 * The AWS IoT data-plane actions a device can be authorized for, with the resource type each is checked on
 * (REFERENCE.md, Policies). Witnesses prefer these, on a resource of the right type, so they read like real
 * requests; an action outside this list is still analyzed, it is just not preferred.
 */
public record KnownAction(String name, String resourceType) {
    public static final List<KnownAction> ALL = List.of(
            new KnownAction("iot:Connect", "client"),
            new KnownAction("iot:Publish", "topic"),
            new KnownAction("iot:Subscribe", "topicfilter"),
            new KnownAction("iot:Receive", "topic"),
            new KnownAction("iot:RetainPublish", "topic"),
            new KnownAction("iot:GetRetainedMessage", "topic"),
            new KnownAction("iot:ListRetainedMessages", "topic"),
            new KnownAction("iot:GetThingShadow", "thing"),
            new KnownAction("iot:UpdateThingShadow", "thing"),
            new KnownAction("iot:DeleteThingShadow", "thing"),
            new KnownAction("iot:ListNamedShadowsForThing", "thing"),
            new KnownAction("iot:DescribeJobExecution", "thing"),
            new KnownAction("iot:GetPendingJobExecutions", "thing"),
            new KnownAction("iot:StartNextPendingJobExecution", "thing"),
            new KnownAction("iot:UpdateJobExecution", "thing"));

    /** The thing-scoped actions that read or change a shadow. */
    public static final List<String> SHADOW_ACTIONS = List.of("iot:GetThingShadow", "iot:UpdateThingShadow",
            "iot:DeleteThingShadow", "iot:ListNamedShadowsForThing");
    /** The thing-scoped job-execution actions. */
    public static final List<String> JOB_ACTIONS = List.of("iot:DescribeJobExecution", "iot:GetPendingJobExecutions",
            "iot:StartNextPendingJobExecution", "iot:UpdateJobExecution");

    /** The canonical spelling of an action (e.g. {@code iot:publish} gives {@code iot:Publish}), else it unchanged. */
    public static String canonical(String action) {
        for (KnownAction known : ALL) {
            if (known.name.equalsIgnoreCase(action)) {
                return known.name;
            }
        }
        return action;
    }

    /** The action part of a request string equal to this action (matched as the engine does, ignoring case). */
    public Formula formula() {
        return is(name);
    }

    /** The requests whose action is {@code action} (case-insensitive). */
    public static Formula is(String action) {
        return Formula.atom(Pattern.action(Pattern.builder().literal(action.toLowerCase(Locale.ROOT)).build()));
    }
}
