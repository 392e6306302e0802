package io.rampart.registry;

/** DEFAULT: issued by or registered with a known CA; SNI_ONLY: registered without a CA (RegisterCertificateWithoutCA). */
public enum CertificateMode {
    DEFAULT, SNI_ONLY
}
