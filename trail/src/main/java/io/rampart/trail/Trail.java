package io.rampart.trail;

import io.rampart.common.Page;

/**
 * The activity trail: every recorded event is durable (fsynced) before {@link #record} returns.
 *
 * <p>Failure policy: {@link #record} throws when the event could not be made durable, and callers fail the action
 * (the API answers 500). CloudTrail delivers best-effort; Rampart's promise is that every call is recorded, so a
 * call that cannot be recorded does not succeed silently (fail-closed).
 */
public interface Trail extends AutoCloseable {
    /** Appends the event and returns once it is on disk; throws RampartException(INTERNAL_FAILURE) otherwise. */
    TrailRecord record(TrailEvent event);

    /** Events matching the query, newest first, paged by sequence number. */
    Page<TrailRecord> lookup(TrailQuery query, Page.Request page);

    @Override
    void close();
}
