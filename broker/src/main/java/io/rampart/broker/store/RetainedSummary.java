package io.rampart.broker.store;

import io.rampart.messaging.QoS;
import io.rampart.messaging.Topic;
import java.time.Instant;

/** One retained message as ListRetainedMessages shows it: topic, payload size, QoS, last modified time. */
public record RetainedSummary(Topic topic, long payloadSize, QoS qos, Instant lastModifiedTime) {
}
