package io.rampart.api;

import io.rampart.defender.DefenderService;
import io.rampart.pki.CertificateAuthority;
import io.rampart.registry.Registry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rampart.trail.Trail;
import io.rampart.trail.logging.LoggingConfiguration;
import java.time.Clock;
import java.util.Objects;

/**
 * The node's services the API routes call; built once by the server's wiring.
 *
 * @param registry             things, types, groups, policies, certificates, CAs, attachments, authorization queries
 * @param certificateAuthority the node's built-in CA (signs the CRL served at {@code /rampart/ca/crl})
 * @param accessKeys           the keys that may sign requests
 * @param clock                the node's clock (SigV4 skew checks)
 * @param dataPlane            the iot-data services (shadows, publish), or null on a node without an MQTT gateway:
 *                             the data-plane operations are then not served
 * @param trail                where every API call is recorded (the Dispatcher records each request once), or null
 *                             for a node without a trail: calls are then not recorded and LookupEvents is not served
 * @param logging              the node's logging options (the AWS IoT logging operations), or null: not served
 * @param metrics              where the API's request timers go and what {@code GET /metrics} exposes, or null: no
 *                             API metrics and no metrics route
 * @param defender             the Device Defender audit, or null for a node without one: the audit operations are
 *                             then not served
 */
public record ApiServices(Registry registry, CertificateAuthority certificateAuthority, AccessKeys accessKeys, Clock clock,
                          DataPlane dataPlane, Trail trail, LoggingConfiguration logging, PrometheusMeterRegistry metrics,
                          DefenderService defender) {
    public ApiServices {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(certificateAuthority, "certificateAuthority");
        Objects.requireNonNull(accessKeys, "accessKeys");
        Objects.requireNonNull(clock, "clock");
    }

    /** Without logging options, metrics or Device Defender. */
    public ApiServices(Registry registry, CertificateAuthority certificateAuthority, AccessKeys accessKeys, Clock clock,
                       DataPlane dataPlane, Trail trail) {
        this(registry, certificateAuthority, accessKeys, clock, dataPlane, trail, null, null, null);
    }

    /** Without a trail. */
    public ApiServices(Registry registry, CertificateAuthority certificateAuthority, AccessKeys accessKeys, Clock clock,
                       DataPlane dataPlane) {
        this(registry, certificateAuthority, accessKeys, clock, dataPlane, null);
    }

    /** The same services, recording every call in {@code trail}. */
    public ApiServices withTrail(Trail trail) {
        return new ApiServices(registry, certificateAuthority, accessKeys, clock, dataPlane, trail, logging, metrics, defender);
    }

    /** The same services, serving the logging operations over {@code logging}. */
    public ApiServices withLogging(LoggingConfiguration logging) {
        return new ApiServices(registry, certificateAuthority, accessKeys, clock, dataPlane, trail, logging, metrics, defender);
    }

    /** The same services, timing every call into {@code metrics} and serving {@code GET /metrics} from it. */
    public ApiServices withMetrics(PrometheusMeterRegistry metrics) {
        return new ApiServices(registry, certificateAuthority, accessKeys, clock, dataPlane, trail, logging, metrics, defender);
    }

    /** The same services, serving the Device Defender audit operations from {@code defender}. */
    public ApiServices withDefender(DefenderService defender) {
        return new ApiServices(registry, certificateAuthority, accessKeys, clock, dataPlane, trail, logging, metrics, defender);
    }

    /** The control plane only: no data-plane operations. */
    public ApiServices(Registry registry, CertificateAuthority certificateAuthority, AccessKeys accessKeys, Clock clock) {
        this(registry, certificateAuthority, accessKeys, clock, null, null);
    }
}
