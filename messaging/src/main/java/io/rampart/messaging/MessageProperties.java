package io.rampart.messaging;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The MQTT 5 application-message properties that travel with a message to its receivers (MQTT-3.3.2-4 and
 * following): the server forwards them unchanged. Absent optional values are {@code null}.
 *
 * @param payloadUtf8     payload format indicator: true when the sender declares the payload UTF-8 text
 * @param contentType     MIME-like description of the payload, or null
 * @param responseTopic   where a request/response receiver should answer, or null
 * @param correlationData opaque bytes the requester uses to match the response, or null (not copied: do not mutate)
 * @param userProperties  name/value pairs in the order sent
 */
public record MessageProperties(boolean payloadUtf8, String contentType, Topic responseTopic,
                                byte[] correlationData, List<UserProperty> userProperties) {
    /** No properties: what every MQTT 3.1.1 message carries. */
    public static final MessageProperties NONE = new MessageProperties(false, null, null, null, List.of());

    public MessageProperties {
        userProperties = List.copyOf(Objects.requireNonNull(userProperties, "userProperties"));
    }

    /** True when no property is set. */
    public boolean isEmpty() {
        return !payloadUtf8 && contentType == null && responseTopic == null && correlationData == null
                && userProperties.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageProperties p && payloadUtf8 == p.payloadUtf8
                && Objects.equals(contentType, p.contentType) && Objects.equals(responseTopic, p.responseTopic)
                && Arrays.equals(correlationData, p.correlationData) && userProperties.equals(p.userProperties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(payloadUtf8, contentType, responseTopic, Arrays.hashCode(correlationData), userProperties);
    }

    @Override
    public String toString() {
        return "MessageProperties[payloadUtf8=" + payloadUtf8 + ", contentType=" + contentType + ", responseTopic="
                + responseTopic + ", correlationData=" + (correlationData == null ? "null" : correlationData.length + " bytes")
                + ", userProperties=" + userProperties + "]";
    }
}
