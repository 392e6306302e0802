package io.rampart.registry;

/** A CA's provisioning template for just-in-time provisioning; every field may be null. */
public record RegistrationConfig(String templateBody, String roleArn, String templateName) {
}
