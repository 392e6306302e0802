package io.rampart.server.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rampart.common.Page;
import io.rampart.trail.Trail;
import io.rampart.trail.TrailEvent;
import io.rampart.trail.TrailQuery;
import io.rampart.trail.TrailRecord;
import java.util.Objects;

/**
 * The API's view of the trail, counting what it records: {@code rampart_trail_records_total} and
 * {@code rampart_trail_record_failures_total} (each failure is a call answered 500, since the trail is fail-closed).
 * Closing it does not close the trail; the node does.
 */
public final class CountingTrail implements Trail {
    private final Trail trail;
    private final Counter written;
    private final Counter failed;

    public CountingTrail(Trail trail, MeterRegistry registry) {
        this.trail = Objects.requireNonNull(trail, "trail");
        this.written = Counter.builder("rampart.trail.records").description("API calls recorded durably in the trail")
                .register(registry);
        this.failed = Counter.builder("rampart.trail.record.failures")
                .description("API calls the trail could not record (answered 500)").register(registry);
    }

    @Override
    public TrailRecord record(TrailEvent event) {
        try {
            TrailRecord record = trail.record(event);
            written.increment();
            return record;
        } catch (RuntimeException e) {
            failed.increment();
            throw e;
        }
    }

    @Override
    public Page<TrailRecord> lookup(TrailQuery query, Page.Request page) {
        return trail.lookup(query, page);
    }

    @Override
    public void close() {
        // The node owns the trail and closes it after the API has stopped.
    }
}
