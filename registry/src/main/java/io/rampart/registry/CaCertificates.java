package io.rampart.registry;

import io.rampart.common.Page;

/** CA certificates brought by the operator: registration with proof of possession, status, deletion, listing. */
public interface CaCertificates {
    /** GetRegistrationCode: the code the verification certificate's common name must carry. */
    String registrationCode();

    /**
     * DeleteRegistrationCode: forgets the current code, so verification certificates made for it no longer register
     * a CA; the next {@link #registrationCode()} makes a new one. ResourceNotFoundException when there is none.
     */
    void deleteRegistrationCode();

    /**
     * RegisterCACertificate: {@code verificationCertificatePem} must be signed by the CA's key with the current
     * registration code as its common name (RegistrationCodeValidationException / CertificateValidationException).
     */
    CaCertificate register(String caCertificatePem, String verificationCertificatePem, boolean setAsActive,
                           boolean allowAutoRegistration, RegistrationConfig registrationConfig);

    /** UpdateCACertificate. */
    CaCertificate update(String caCertificateId, CaCertificateUpdate update);

    /** DeleteCACertificate: only an INACTIVE CA with no registered device certificates (CertificateStateException). */
    void delete(String caCertificateId);

    /** DescribeCACertificate, or ResourceNotFoundException. */
    CaCertificate describe(String caCertificateId);

    /** ListCACertificates ordered by creation date. */
    Page<CaCertificate> list(Page.Request page, boolean ascendingOrder);
}
