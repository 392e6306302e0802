package io.rampart.trail;

import java.util.List;

/** What {@link TrailVerifier#verify} found: OK when there are no problems. */
public record VerificationReport(long recordsChecked, int digestsChecked, List<Problem> problems) {
    public VerificationReport {
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return problems.isEmpty();
    }

    /** The kinds of damage the verifier names. */
    public enum Kind {
        RECORD_MODIFIED, RECORD_DELETED, RECORD_INSERTED, RECORD_REORDERED, RECORD_MALFORMED,
        TRUNCATED_LAST_RECORD, SEGMENT_MISSING, SEGMENT_MODIFIED, DIGEST_MISSING, DIGEST_BAD_SIGNATURE,
        DIGEST_CHAIN_BROKEN
    }

    /** One finding; {@code line} is 1-based, {@code seq} the record's sequence number (-1 when not applicable). */
    public record Problem(Kind kind, String file, long line, long seq, String message) {
        @Override
        public String toString() {
            return kind + " " + (file == null ? "" : file + (line > 0 ? ":" + line : "") + " ") + message;
        }
    }
}
