package io.rampart.messaging;

import io.rampart.common.RampartException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Checks shared by topic names and topic filters: MQTT's UTF-8 string rules and Rampart's limits. */
final class MqttStrings {
    private static final String BASIC_INGEST_PREFIX = "$aws/rules/";

    private MqttStrings() {
    }

    /** Decodes strictly: malformed UTF-8 and encoded surrogates are a protocol error (MQTT-1.5.4-1), not replaced. */
    static String decode(String what, byte[] utf8) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8))
                    .toString();
        } catch (CharacterCodingException e) {
            throw RampartException.invalidRequest(what + " is not well-formed UTF-8");
        }
    }

    /**
     * Validates the characters of {@code text} and returns its UTF-8 length. Rejects U+0000 (MQTT-1.5.4-2),
     * unpaired surrogates (they have no UTF-8 form, MQTT-1.5.4-1) and the C0/C1 control characters, which MQTT
     * allows a server to refuse (§1.5.4) and which would otherwise reach logs and policy ARNs.
     */
    static int checkCharacters(String what, String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                throw RampartException.invalidRequest(what + " must not contain the null character U+0000");
            }
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                throw RampartException.invalidRequest(what + " must not contain control character U+"
                        + String.format("%04X", (int) c) + " at index " + i);
            }
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                throw RampartException.invalidRequest(what + " contains an unpaired surrogate at index " + i);
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** Applies {@code limits}; the Basic Ingest prefix {@code $aws/rules/<rule>/} is exempt, as on AWS IoT. */
    static void checkLimits(String what, String text, int utf8Length, TopicLimits limits) {
        int exemptBytes = 0;
        int exemptSlashes = 0;
        if (text.startsWith(BASIC_INGEST_PREFIX)) {
            int end = text.indexOf('/', BASIC_INGEST_PREFIX.length());
            if (end > 0) {
                exemptBytes = utf8Length(text.substring(0, end + 1));
                exemptSlashes = 3;
            }
        }
        if (utf8Length - exemptBytes > limits.maxBytes()) {
            throw RampartException.invalidRequest(what + " is " + (utf8Length - exemptBytes)
                    + " bytes long; the limit is " + limits.maxBytes() + " bytes");
        }
        if (limits.maxSlashes() != Integer.MAX_VALUE) {
            int slashes = 0;
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == '/') {
                    slashes++;
                }
            }
            if (slashes - exemptSlashes > limits.maxSlashes()) {
                throw RampartException.invalidRequest(what + " has " + (slashes - exemptSlashes)
                        + " '/' separators; the limit is " + limits.maxSlashes());
            }
        }
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    static String quote(String text) {
        return text.length() <= 80 ? "'" + text + "'" : "'" + text.substring(0, 77) + "...'";
    }
}
