package io.rampart.policy;

import java.util.List;
import java.util.Objects;

/**
 * One condition of a statement, as written: {@code "StringEquals": {"iot:ClientId": ["a", "b"]}} gives
 * {@code Condition("StringEquals", "iot:ClientId", ["a", "b"])}. Numbers and booleans are kept as their text.
 */
public record Condition(String operator, String key, List<String> values) {
    public Condition {
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(key, "key");
        values = List.copyOf(values);
    }
}
