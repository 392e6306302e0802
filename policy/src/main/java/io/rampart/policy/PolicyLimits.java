package io.rampart.policy;

import io.rampart.common.RampartException;

/**
 * Limits a policy document must respect to be accepted.
 *
 * @param maxDocumentCharacters the largest document, counted without whitespace (AWS IoT: 2,048)
 */
public record PolicyLimits(int maxDocumentCharacters) {
    /** AWS IoT's documented maximum policy document size, in characters excluding whitespace. */
    public static final int AWS_MAX_DOCUMENT_CHARACTERS = 2048;

    public PolicyLimits {
        if (maxDocumentCharacters < 1) {
            throw RampartException.invalidRequest("maxDocumentCharacters must be positive, got " + maxDocumentCharacters);
        }
    }

    /** The limits AWS IoT applies. */
    public static PolicyLimits awsDefaults() {
        return new PolicyLimits(AWS_MAX_DOCUMENT_CHARACTERS);
    }
}
