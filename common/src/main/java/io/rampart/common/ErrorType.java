package io.rampart.common;

/**
 * The AWS IoT exception names Rampart answers with, each with its HTTP status.
 *
 * <p>This is the single place where an error kind meets its wire form: the API writes
 * {@link #awsName()} into {@code x-amzn-ErrorType} and {@link #httpStatus()} as the status.
 */
public enum ErrorType {
    INVALID_REQUEST("InvalidRequestException", 400),
    /** SigV4 Authorization header present but malformed (missing component, bad date format). */
    INCOMPLETE_SIGNATURE("IncompleteSignatureException", 400),
    MALFORMED_POLICY("MalformedPolicyException", 400),
    CERTIFICATE_VALIDATION("CertificateValidationException", 400),
    REGISTRATION_CODE_VALIDATION("RegistrationCodeValidationException", 400),
    UNAUTHORIZED("UnauthorizedException", 401),
    /** SigV4 failures: AWS answers 403 with these names. */
    INVALID_SIGNATURE("InvalidSignatureException", 403),
    UNRECOGNIZED_CLIENT("UnrecognizedClientException", 403),
    /** An IAM-style denial: the key is valid but may not call this operation (e.g. a read-only key writing). */
    ACCESS_DENIED("AccessDeniedException", 403),
    /** No Authorization header at all. */
    MISSING_AUTHENTICATION_TOKEN("MissingAuthenticationTokenException", 403),
    RESOURCE_NOT_FOUND("ResourceNotFoundException", 404),
    /** No operation is served at the request path. */
    UNKNOWN_OPERATION("UnknownOperationException", 404),
    METHOD_NOT_ALLOWED("MethodNotAllowedException", 405),
    CERTIFICATE_STATE("CertificateStateException", 406),
    RESOURCE_ALREADY_EXISTS("ResourceAlreadyExistsException", 409),
    VERSION_CONFLICT("VersionConflictException", 409),
    DELETE_CONFLICT("DeleteConflictException", 409),
    VERSIONS_LIMIT_EXCEEDED("VersionsLimitExceededException", 409),
    INVALID_STATE_TRANSITION("InvalidStateTransitionException", 409),
    CONFLICT("ConflictException", 409),
    LIMIT_EXCEEDED("LimitExceededException", 410),
    REQUEST_ENTITY_TOO_LARGE("RequestEntityTooLargeException", 413),
    /** Device shadow documents must be UTF-8 (AWS IoT data plane). */
    UNSUPPORTED_DOCUMENT_ENCODING("UnsupportedDocumentEncodingException", 415),
    THROTTLING("ThrottlingException", 429),
    INTERNAL_FAILURE("InternalFailureException", 500),
    SERVICE_UNAVAILABLE("ServiceUnavailableException", 503);

    private final String awsName;
    private final int httpStatus;

    ErrorType(String awsName, int httpStatus) {
        this.awsName = awsName;
        this.httpStatus = httpStatus;
    }

    public String awsName() {
        return awsName;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
