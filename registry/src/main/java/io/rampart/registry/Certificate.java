package io.rampart.registry;

import java.math.BigInteger;
import java.time.Instant;

/**
 * A device certificate, as DescribeCertificate answers it (the private key is never stored).
 *
 * @param id SHA-256 of the DER encoding, 64 lower-case hex digits
 * @param caCertificateId the id of the registered or built-in CA that issued it; null when registered without a CA
 * @param serialNumber the X.509 serial, used by the built-in CA's CRL
 */
public record Certificate(String id, String arn, String pem, CertificateStatus status, String caCertificateId,
                          String ownedBy, Instant creationDate, Instant lastModifiedDate, Instant notBefore,
                          Instant notAfter, int customerVersion, String generationId, CertificateMode mode,
                          BigInteger serialNumber) {
}
