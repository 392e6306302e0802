package io.rampart.registry;

/**
 * The changes of UpdateCACertificate; null fields are left alone.
 *
 * @param removeAutoRegistration true clears the registration config
 */
public record CaCertificateUpdate(CaCertificateStatus newStatus, AutoRegistrationStatus newAutoRegistrationStatus,
                                  RegistrationConfig registrationConfig, boolean removeAutoRegistration) {
}
