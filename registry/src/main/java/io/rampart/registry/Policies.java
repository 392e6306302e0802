package io.rampart.registry;

import io.rampart.common.Page;
import java.util.List;

/** IoT policies and their versions (at most {@link RegistryLimits#maxPolicyVersions()}, exactly one default). */
public interface Policies {
    /** Validates the document (MalformedPolicyException) and creates version "1" as the default. */
    PolicyVersion create(String policyName, String document);

    /** The policy with its default version, or ResourceNotFoundException. */
    Policy get(String policyName);

    /** Deletes a policy that has only its default version and no attachment; otherwise DeleteConflictException. */
    void delete(String policyName);

    /** Policies by name. */
    Page<PolicyRef> list(Page.Request page);

    /** Adds a version (VersionsLimitExceededException past the limit), optionally making it the default. */
    PolicyVersion createVersion(String policyName, String document, boolean setAsDefault);

    /** One version, or ResourceNotFoundException. */
    PolicyVersion getVersion(String policyName, String versionId);

    /** All versions, newest first (AWS ListPolicyVersions is not paginated). */
    List<PolicyVersion> listVersions(String policyName);

    /** Deletes a non-default version; the default one is a DeleteConflictException. */
    void deleteVersion(String policyName, String versionId);

    /** Makes {@code versionId} the default version. */
    void setDefaultVersion(String policyName, String versionId);
}
