package io.rampart.bench.mqtt;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;

import java.util.Objects;
import java.util.Optional;

/**
 * Where the bench clients connect: a host and port, with TLS (client certificate) or without (only for the plain
 * Mosquitto the machine runs on 127.0.0.1:1883, which the generator's own tests use).
 */
record Endpoint(String host, int port, Optional<MqttClientSslConfig> tls) {
    Endpoint {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tls, "tls");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1..65535, got " + port);
        }
    }

    /** A new, not yet connected MQTT 5 client with the asynchronous API. */
    Mqtt5AsyncClient client(String clientId) {
        Mqtt5ClientBuilder builder = Mqtt5Client.builder().identifier(clientId).serverHost(host).serverPort(port);
        tls.ifPresent(builder::sslConfig);
        return builder.buildAsync();
    }

    @Override
    public String toString() {
        return host + ":" + port + (tls.isPresent() ? " (TLS, client certificate)" : " (plain TCP)");
    }
}
