package io.rampart.defender;

/** The kind of resource a finding is about, with AWS's names (ResourceType). */
public enum ResourceType {
    DEVICE_CERTIFICATE, CA_CERTIFICATE, IOT_POLICY, COGNITO_IDENTITY_POOL, CLIENT_ID, ACCOUNT_SETTINGS, ROLE_ALIAS,
    IAM_ROLE, ISSUER_CERTIFICATE
}
