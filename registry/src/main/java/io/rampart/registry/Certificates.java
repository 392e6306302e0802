package io.rampart.registry;

import io.rampart.common.Page;
import java.util.List;

/** Device certificates: issuance through the built-in CA, registration, status, deletion, listing, CRL. */
public interface Certificates {
    /** CreateKeysAndCertificate: a new key pair and a certificate from the built-in CA (INACTIVE unless {@code setAsActive}). */
    IssuedCertificate createKeysAndCertificate(boolean setAsActive);

    /** CreateCertificateFromCsr: the built-in CA signs the CSR; the device keeps its key. */
    Certificate createFromCsr(String csrPem, boolean setAsActive);

    /**
     * RegisterCertificate: a device certificate issued by a CA registered here ({@code caCertificatePem} may name
     * it, otherwise the issuer is looked up). The signature is verified against that CA, which must be ACTIVE.
     *
     * @param status the initial status, or null for ACTIVE when {@code setAsActive} else INACTIVE
     */
    Certificate register(String certificatePem, String caCertificatePem, CertificateStatus status, boolean setAsActive);

    /** RegisterCertificateWithoutCA: the certificate is stored in SNI_ONLY mode, INACTIVE unless {@code status} says otherwise. */
    Certificate registerWithoutCa(String certificatePem, CertificateStatus status);

    /** UpdateCertificate to ACTIVE, INACTIVE or REVOKED; a REVOKED certificate cannot change (CertificateStateException). */
    Certificate update(String certificateId, CertificateStatus newStatus);

    /**
     * DeleteCertificate: ACTIVE is a CertificateStateException; attached things are a DeleteConflictException;
     * attached policies are a DeleteConflictException unless {@code forceDelete}, which detaches them.
     */
    void delete(String certificateId, boolean forceDelete);

    /** DescribeCertificate, or ResourceNotFoundException. */
    Certificate describe(String certificateId);

    /** ListCertificates ordered by creation date. */
    Page<Certificate> list(Page.Request page, boolean ascendingOrder);

    /** ListCertificatesByCA ordered by creation date; an unknown CA is a ResourceNotFoundException. */
    Page<Certificate> listByCa(String caCertificateId, Page.Request page, boolean ascendingOrder);

    /**
     * The gateway's question at TLS time: may the holder of certificate {@code certificateId} connect? Answered
     * with one query and the injected clock.
     */
    CertificateVerdict verify(String certificateId);

    /** The serials of REVOKED certificates issued by the built-in CA, for its CRL. */
    List<RevokedCertificate> revokedByBuiltInCa();
}
