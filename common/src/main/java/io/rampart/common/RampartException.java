package io.rampart.common;

import java.util.Objects;

/**
 * The one typed error of Rampart: a kind that maps to an AWS error type, and a message a user can act on.
 *
 * <p>Validate at the boundary and throw this; the API and the gateway translate it in one place each.
 */
public class RampartException extends RuntimeException {
    private final ErrorType type;

    public RampartException(ErrorType type, String message) {
        super(message);
        this.type = Objects.requireNonNull(type);
    }

    public RampartException(ErrorType type, String message, Throwable cause) {
        super(message, cause);
        this.type = Objects.requireNonNull(type);
    }

    public ErrorType type() {
        return type;
    }

    public static RampartException invalidRequest(String message) {
        return new RampartException(ErrorType.INVALID_REQUEST, message);
    }

    public static RampartException notFound(String message) {
        return new RampartException(ErrorType.RESOURCE_NOT_FOUND, message);
    }

    public static RampartException alreadyExists(String message) {
        return new RampartException(ErrorType.RESOURCE_ALREADY_EXISTS, message);
    }
}
