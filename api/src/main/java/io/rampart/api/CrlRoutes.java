package io.rampart.api;

import io.rampart.pki.CertificateAuthority;
import io.rampart.pki.Pem;
import io.rampart.registry.RevokedCertificate;
import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in CA's certificate revocation list, {@code GET /rampart/ca/crl}, as PEM.
 *
 * <p>Unauthenticated on purpose: a CRL is public data signed by the CA (RFC 5280 section 5), and the parties
 * that need it (TLS terminators, gateways, devices checking a peer) usually hold no API key. It is freshly
 * signed on each request from the registry's REVOKED certificates, so it is never stale.
 */
final class CrlRoutes implements RouteGroup {
    static final String CONTENT_TYPE = "application/x-pem-file";

    @Override
    public List<Route> routes(ApiServices services) {
        CertificateAuthority ca = services.certificateAuthority();
        return List.of(Route.open("GET", "/rampart/ca/crl", "GetCaCrl", request -> {
            Map<BigInteger, Instant> revoked = new LinkedHashMap<>();
            for (RevokedCertificate entry : services.registry().certificates().revokedByBuiltInCa()) {
                revoked.put(entry.serialNumber(), entry.revocationDate());
            }
            return ApiResponse.text(200, CONTENT_TYPE, Pem.encodeCrl(ca.crl(revoked, CertificateAuthority.CRL_VALIDITY)));
        }));
    }
}
