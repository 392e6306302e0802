package io.rampart.policy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the engine knows about the requester when it substitutes policy variables and evaluates conditions.
 *
 * @param clientId       the MQTT client id ({@code iot:ClientId}), when there is a connection
 * @param sourceIp       the peer address ({@code aws:SourceIp}), IPv4 or IPv6 literal
 * @param time           the request time ({@code aws:CurrentTime}, {@code aws:EpochTime}); empty means "now" by the
 *                       engine's clock
 * @param thing          the thing named by the client id, if one exists in the registry
 * @param certificate    the client certificate, when the principal is one
 * @param conditionKeys  further condition keys supplied by the caller (e.g. MQTT 5 connect properties), by name;
 *                       names are matched case-insensitively, like AWS condition keys
 */
public record RequestContext(Optional<String> clientId, Optional<String> sourceIp, Optional<Instant> time,
                             Optional<ThingContext> thing, Optional<CertificateContext> certificate,
                             Map<String, List<String>> conditionKeys) {
    public RequestContext {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(sourceIp, "sourceIp");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(thing, "thing");
        Objects.requireNonNull(certificate, "certificate");
        Map<String, List<String>> copy = new LinkedHashMap<>();
        conditionKeys.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        conditionKeys = Map.copyOf(copy);
    }

    /** A context with nothing known (every variable is missing). */
    public static RequestContext empty() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link RequestContext}; every field is optional. */
    public static final class Builder {
        private String clientId;
        private String sourceIp;
        private Instant time;
        private ThingContext thing;
        private CertificateContext certificate;
        private final Map<String, List<String>> conditionKeys = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        public Builder sourceIp(String sourceIp) {
            this.sourceIp = sourceIp;
            return this;
        }

        public Builder time(Instant time) {
            this.time = time;
            return this;
        }

        public Builder thing(ThingContext thing) {
            this.thing = thing;
            return this;
        }

        public Builder certificate(CertificateContext certificate) {
            this.certificate = certificate;
            return this;
        }

        /** Adds a caller-supplied condition key with its values. */
        public Builder conditionKey(String name, List<String> values) {
            conditionKeys.put(Objects.requireNonNull(name, "name"), List.copyOf(values));
            return this;
        }

        public RequestContext build() {
            return new RequestContext(Optional.ofNullable(clientId), Optional.ofNullable(sourceIp),
                    Optional.ofNullable(time), Optional.ofNullable(thing), Optional.ofNullable(certificate),
                    conditionKeys);
        }
    }
}
