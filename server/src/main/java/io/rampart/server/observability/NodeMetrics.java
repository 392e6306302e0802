package io.rampart.server.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rampart.broker.BrokerStatistics;
import io.rampart.broker.MqttBroker;
import io.rampart.messaging.ConnectionEvent;
import io.rampart.messaging.Registration;
import io.rampart.shadow.ShadowService;
import io.rampart.shadow.ShadowStatistics;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The node's meters, exposed at {@code GET /metrics} on the API port. Everything Rampart measures is named
 * {@code rampart_*}; the JVM's and the process's meters keep Micrometer's standard names ({@code jvm_*},
 * {@code process_*}, {@code system_*}).
 *
 * <p>The broker, the shadow service and the trail keep their own counters and know nothing of Micrometer: the meters
 * here read them when scraped (function counters and gauges), so counting costs the hot paths one LongAdder each.
 * No meter is labelled by client id, thing, topic or address: label values come from small fixed sets.
 */
public final class NodeMetrics implements AutoCloseable {
    /** The policy actions the gateway asks about, each with its own denial counter. */
    static final List<String> MQTT_ACTIONS = List.of("iot:Connect", "iot:Publish", "iot:RetainPublish", "iot:Subscribe",
            "iot:Receive");

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc;
    private Registration connectionEvents;

    private NodeMetrics(PrometheusMeterRegistry registry, JvmGcMetrics gc) {
        this.registry = registry;
        this.gc = gc;
    }

    /** A registry with the JVM and process meters bound. */
    public static NodeMetrics create() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        return new NodeMetrics(registry, gc);
    }

    /** The registry the API times its calls into and scrapes. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The MQTT gateway's connections, connects, messages, bytes, failures, denials and session queues. */
    public void bindBroker(MqttBroker broker) {
        Gauge.builder("rampart.mqtt.connections", broker, MqttBroker::connectionCount)
                .description("Open MQTT connections (TLS and plain)").register(registry);
        Gauge.builder("rampart.mqtt.sessions", broker, b -> b.sessionDepths().sessions())
                .description("MQTT sessions kept, connected or not").register(registry);
        Gauge.builder("rampart.mqtt.queued.messages", broker, b -> b.sessionDepths().queued())
                .description("Messages waiting in session queues").register(registry);
        Gauge.builder("rampart.mqtt.inflight.messages", broker, b -> b.sessionDepths().inFlight())
                .description("QoS 1/2 messages sent and not yet acknowledged").register(registry);
        counter(broker, "rampart.mqtt.connections.accepted", "TCP connections accepted", BrokerStatistics::connectionsAccepted);
        counter(broker, "rampart.mqtt.tls.handshake.failures", "TLS handshakes that failed or timed out",
                BrokerStatistics::handshakeFailures);
        counter(broker, "rampart.mqtt.authentication.failures", "Client certificates refused",
                BrokerStatistics::authenticationFailures);
        counter(broker, "rampart.mqtt.connects.refused", "CONNECT packets refused", BrokerStatistics::connectsRefused);
        counter(broker, "rampart.mqtt.protocol.violations", "Connections closed for breaking MQTT's rules",
                BrokerStatistics::protocolViolations);
        counter(broker, "rampart.mqtt.limit.violations", "Packets refused for exceeding a limit", BrokerStatistics::limitViolations);
        counter(broker, "rampart.mqtt.messages.received", "PUBLISH packets accepted from clients (messages in)",
                BrokerStatistics::messagesReceived);
        counter(broker, "rampart.mqtt.messages.sent", "PUBLISH packets sent to clients (messages out)", BrokerStatistics::messagesSent);
        counter(broker, "rampart.mqtt.messages.dropped", "Messages not delivered (receive denied, queue full, expired)",
                BrokerStatistics::messagesDropped);
        counter(broker, "rampart.mqtt.payload.bytes.received", "Payload bytes of PUBLISH packets accepted (bytes in)",
                BrokerStatistics::payloadBytesReceived);
        counter(broker, "rampart.mqtt.payload.bytes.sent", "Payload bytes of PUBLISH packets sent (bytes out)",
                BrokerStatistics::payloadBytesSent);
        for (String action : MQTT_ACTIONS) {
            FunctionCounter.builder("rampart.mqtt.authorization.denials", broker, b -> b.statistics().denials(action))
                    .description("MQTT actions denied by policy, by action").tag("action", action).register(registry);
        }
        Counter connects = Counter.builder("rampart.mqtt.connects")
                .description("CONNECTs accepted").register(registry);
        Counter disconnects = Counter.builder("rampart.mqtt.disconnects")
                .description("Sessions' connections ended after an accepted CONNECT").register(registry);
        connectionEvents = broker.onConnectionEvent(event -> {
            switch (event) {
                case ConnectionEvent.Connected connected -> connects.increment();
                case ConnectionEvent.Disconnected disconnected -> disconnects.increment();
                case ConnectionEvent.Subscribed subscribed -> { }
                case ConnectionEvent.Unsubscribed unsubscribed -> { }
            }
        });
    }

    private void counter(MqttBroker broker, String name, String description, ToLongFunction<BrokerStatistics> value) {
        FunctionCounter.builder(name, broker, b -> value.applyAsLong(b.statistics())).description(description).register(registry);
    }

    /** Shadow operations by operation (get, update, delete, list) and outcome (accepted, rejected, failed). */
    public void bindShadows(ShadowService shadows) {
        for (ShadowStatistics.Operation operation : ShadowStatistics.Operation.values()) {
            for (ShadowStatistics.Outcome outcome : ShadowStatistics.Outcome.values()) {
                FunctionCounter.builder("rampart.shadow.operations", shadows, s -> s.statistics().count(operation, outcome))
                        .description("Device Shadow operations over MQTT and HTTP, by operation and outcome")
                        .tag("operation", operation.label()).tag("outcome", outcome.label()).register(registry);
            }
        }
    }

    /** The meters' registry, for parts that time their own work (the policy decisions, the trail). */
    public MeterRegistry meters() {
        return registry;
    }

    @Override
    public void close() {
        if (connectionEvents != null) {
            connectionEvents.close();
        }
        gc.close();
        registry.close();
    }
}
