package io.rampart.messaging;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Something that happened to an MQTT connection, as lifecycle events and Device Defender see it. */
public sealed interface ConnectionEvent {
    /** The connection the event is about. */
    ClientConnection connection();

    /** When it happened (the broker's clock). */
    Instant timestamp();

    /**
     * A client completed CONNECT (after authentication and {@code iot:Connect}).
     *
     * @param sessionPresent whether a stored session was resumed
     * @param versionNumber  AWS's per-client-id counter that orders connect/disconnect events of one client id
     */
    record Connected(ClientConnection connection, Instant timestamp, boolean sessionPresent, long versionNumber)
            implements ConnectionEvent {
        public Connected {
            Objects.requireNonNull(connection, "connection");
            Objects.requireNonNull(timestamp, "timestamp");
        }
    }

    /** A connection ended, with AWS's reason and whether the client initiated it. */
    record Disconnected(ClientConnection connection, Instant timestamp, boolean clientInitiated,
                        DisconnectReason reason, long versionNumber) implements ConnectionEvent {
        public Disconnected {
            Objects.requireNonNull(connection, "connection");
            Objects.requireNonNull(timestamp, "timestamp");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A SUBSCRIBE was granted for these filters (denied filters are not listed). */
    record Subscribed(ClientConnection connection, Instant timestamp, List<TopicFilter> filters) implements ConnectionEvent {
        public Subscribed {
            Objects.requireNonNull(connection, "connection");
            Objects.requireNonNull(timestamp, "timestamp");
            filters = List.copyOf(filters);
        }
    }

    /** An UNSUBSCRIBE removed these filters. */
    record Unsubscribed(ClientConnection connection, Instant timestamp, List<TopicFilter> filters) implements ConnectionEvent {
        public Unsubscribed {
            Objects.requireNonNull(connection, "connection");
            Objects.requireNonNull(timestamp, "timestamp");
            filters = List.copyOf(filters);
        }
    }
}
