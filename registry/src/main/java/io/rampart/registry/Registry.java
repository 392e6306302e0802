package io.rampart.registry;

import io.rampart.common.AwsScope;
import io.rampart.pki.CertificateAuthority;
import io.rampart.pki.KeyAlgorithm;
import io.rampart.policy.PolicyEngine;
import io.rampart.registry.internal.SqlRegistry;
import io.rampart.store.Database;
import java.security.SecureRandom;
import java.time.Clock;

/** The registry of one node: things, types, groups, policies, certificates, CAs, attachments and authorization queries. */
public interface Registry {
    /**
     * The registry stored in {@code db} (its tables are migrated first), issuing through the built-in {@code ca},
     * with AWS's default limits and {@link KeyAlgorithm#DEFAULT} keys for CreateKeysAndCertificate.
     */
    static Registry open(Database db, CertificateAuthority ca, PolicyEngine engine, AwsScope scope, Clock clock) {
        return open(db, ca, engine, scope, clock, RegistryLimits.defaults(), KeyAlgorithm.DEFAULT, new SecureRandom());
    }

    /** As {@link #open(Database, CertificateAuthority, PolicyEngine, AwsScope, Clock)} with every setting given. */
    static Registry open(Database db, CertificateAuthority ca, PolicyEngine engine, AwsScope scope, Clock clock,
                         RegistryLimits limits, KeyAlgorithm keyAlgorithm, SecureRandom random) {
        return new SqlRegistry(db, ca, engine, scope, clock, limits, keyAlgorithm, random);
    }

    /** Registers {@code listener} for this registry's committed changes (certificate status, authorization inputs). */
    void addListener(RegistryListener listener);

    /** Stops telling {@code listener}; nothing happens if it was not registered. */
    void removeListener(RegistryListener listener);

    Things things();

    ThingTypes thingTypes();

    ThingGroups thingGroups();

    Policies policies();

    Certificates certificates();

    CaCertificates caCertificates();

    Attachments attachments();

    Authorizations authorizations();
}
