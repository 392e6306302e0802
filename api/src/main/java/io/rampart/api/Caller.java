package io.rampart.api;

/** The authenticated caller of a request: the access key that signed it, its name and its role. */
public record Caller(String accessKeyId, String name, AccessKeys.Role role) {
}
