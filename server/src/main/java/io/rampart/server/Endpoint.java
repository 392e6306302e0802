package io.rampart.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rampart.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where clients reach a node, as written to {@code endpoint.json}: the host name the server certificate is
 * valid for, the ports actually bound, and the region and account id its ARNs use.
 */
public record Endpoint(String host, int mqttPort, int apiPort, String region, String accountId) {
    private static final ObjectMapper JSON = Json.newMapper();

    public Endpoint {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(accountId, "accountId");
        if (host.isBlank()) {
            throw new IllegalArgumentException("endpoint host must not be blank");
        }
        if (apiPort < 1 || apiPort > 65535) {
            throw new IllegalArgumentException("endpoint apiPort must be 1..65535, got " + apiPort);
        }
        if (mqttPort < 0 || mqttPort > 65535) {
            throw new IllegalArgumentException("endpoint mqttPort must be 0..65535, got " + mqttPort);
        }
    }

    /** The HTTPS base URL of the control-plane API, e.g. {@code https://localhost:8443}. */
    public URI apiUrl() {
        String literal = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return URI.create("https://" + literal + ":" + apiPort);
    }

    /** The endpoint.json form (pretty-printed, the five fields). */
    public byte[] toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads an {@code endpoint.json} written by a node, with an error that says what to do when it is missing or bad. */
    public static Endpoint read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no " + file + ": start a node with 'rampart server --data "
                    + (file.getParent() == null ? "." : file.getParent()) + "' or give --endpoint URL", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        try {
            return JSON.readValue(bytes, Endpoint.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " is not a valid endpoint description: " + e.getMessage(), e);
        }
    }
}
