package io.rampart.registry;

/** A thing group's name and ARN (AWS GroupNameAndArn). */
public record GroupRef(String groupName, String groupArn) {
}
