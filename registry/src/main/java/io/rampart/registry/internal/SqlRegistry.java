package io.rampart.registry.internal;

import io.rampart.common.AwsScope;
import io.rampart.pki.CertificateAuthority;
import io.rampart.pki.KeyAlgorithm;
import io.rampart.policy.PolicyEngine;
import io.rampart.registry.Attachments;
import io.rampart.registry.Authorizations;
import io.rampart.registry.CaCertificates;
import io.rampart.registry.Certificates;
import io.rampart.registry.Policies;
import io.rampart.registry.Registry;
import io.rampart.registry.RegistryLimits;
import io.rampart.registry.RegistryListener;
import io.rampart.registry.ThingGroups;
import io.rampart.registry.ThingTypes;
import io.rampart.registry.Things;
import io.rampart.store.Database;
import java.security.SecureRandom;
import java.time.Clock;

/** The SQL-backed registry; construct it through {@link Registry#open}. */
public final class SqlRegistry implements Registry {
    private final Things things;
    private final ThingTypes thingTypes;
    private final ThingGroups thingGroups;
    private final Policies policies;
    private final Certificates certificates;
    private final CaCertificates caCertificates;
    private final Attachments attachments;
    private final Authorizations authorizations;
    private final RegistryEvents events;

    /** Migrates the registry's tables in {@code db} and wires the services; see {@link Registry#open}. */
    public SqlRegistry(Database db, CertificateAuthority ca, PolicyEngine engine, AwsScope scope, Clock clock,
                       RegistryLimits limits, KeyAlgorithm keyAlgorithm, SecureRandom random) {
        db.migrate("registry");
        Store store = new Store(db, scope, clock, limits);
        this.events = store.events;
        PolicyDocuments documents = new PolicyDocuments(limits.policyLimits());
        this.things = new SqlThings(store);
        this.thingTypes = new SqlThingTypes(store);
        this.thingGroups = new SqlThingGroups(store);
        this.policies = new SqlPolicies(store, documents);
        this.certificates = new SqlCertificates(store, ca, keyAlgorithm);
        this.caCertificates = new SqlCaCertificates(store, random);
        this.attachments = new SqlAttachments(store);
        this.authorizations = new SqlAuthorizations(store, documents, engine);
    }

    @Override
    public void addListener(RegistryListener listener) {
        events.add(listener);
    }

    @Override
    public void removeListener(RegistryListener listener) {
        events.remove(listener);
    }

    @Override
    public Things things() {
        return things;
    }

    @Override
    public ThingTypes thingTypes() {
        return thingTypes;
    }

    @Override
    public ThingGroups thingGroups() {
        return thingGroups;
    }

    @Override
    public Policies policies() {
        return policies;
    }

    @Override
    public Certificates certificates() {
        return certificates;
    }

    @Override
    public CaCertificates caCertificates() {
        return caCertificates;
    }

    @Override
    public Attachments attachments() {
        return attachments;
    }

    @Override
    public Authorizations authorizations() {
        return authorizations;
    }
}
