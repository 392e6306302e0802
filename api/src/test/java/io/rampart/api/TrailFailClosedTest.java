package io.rampart.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rampart.common.ErrorType;
import io.rampart.common.Page;
import io.rampart.common.RampartException;
import io.rampart.trail.Trail;
import io.rampart.trail.TrailEvent;
import io.rampart.trail.TrailQuery;
import io.rampart.trail.TrailRecord;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.iot.model.InternalFailureException;
import software.amazon.awssdk.services.iot.model.UnauthorizedException;

/** A call the trail cannot record durably is answered 500, never silently unrecorded. */
class TrailFailClosedTest {
    static final AtomicBoolean diskFull = new AtomicBoolean();

    @RegisterExtension
    static final ApiTestNode node = new ApiTestNode(List.of(), real -> new Trail() {
        @Override
        public TrailRecord record(TrailEvent event) {
            if (diskFull.get()) {
                throw new RampartException(ErrorType.INTERNAL_FAILURE, "the trail could not record the event durably: No space left on device");
            }
            return real.record(event);
        }

        @Override
        public Page<TrailRecord> lookup(TrailQuery query, Page.Request page) {
            return real.lookup(query, page);
        }

        @Override
        public void close() {
            real.close();
        }
    });

    @Test
    void aCallThatCannotBeRecordedFailsWith500() {
        diskFull.set(true);
        try {
            assertThatThrownBy(() -> node.admin().listThings(b -> b.maxResults(1)))
                    .isInstanceOf(InternalFailureException.class);
        } finally {
            diskFull.set(false);
        }
        assertThat(node.admin().listThings(b -> b.maxResults(1)).sdkHttpResponse().statusCode()).isEqualTo(200);
    }

    @Test
    void aFailedSignatureIsRecordedWithTheClaimedAccessKeyId() {
        assertThatThrownBy(() -> node.client(node.adminKey().key().accessKeyId(), "wrong-secret-0123456789")
                .listThings(b -> b.maxResults(1))).isInstanceOf(software.amazon.awssdk.services.iot.model.IotException.class);
        List<TrailRecord> records = node.trail().lookup(new TrailQuery(null, null, "ListThings",
                node.adminKey().key().accessKeyId(), null, null, null), Page.Request.first(10)).items();
        assertThat(records).anySatisfy(r -> assertThat(r.event().status()).isIn(401, 403));
    }
}
