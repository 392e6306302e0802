package io.rampart.registry;

import java.time.Instant;

/**
 * A registered CA certificate, as DescribeCACertificate answers it.
 *
 * @param registrationConfig null when none was set
 */
public record CaCertificate(String id, String arn, String pem, CaCertificateStatus status,
                            AutoRegistrationStatus autoRegistrationStatus, String ownedBy, Instant creationDate,
                            Instant lastModifiedDate, Instant notBefore, Instant notAfter, int customerVersion,
                            String generationId, RegistrationConfig registrationConfig) {
}
