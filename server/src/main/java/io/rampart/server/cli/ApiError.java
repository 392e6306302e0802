package io.rampart.server.cli;

/** An error answered by the node on one of Rampart's own routes: the AWS-style error type and its message. */
final class ApiError extends RuntimeException {
    private final String errorType;

    ApiError(String errorType, String message) {
        super(message);
        this.errorType = errorType;
    }

    String errorType() {
        return errorType;
    }
}
