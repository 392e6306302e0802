package io.rampart.registry;

/** The registry of one node: things, types, groups, policies, certificates, CAs, attachments and authorization queries. */
public interface Registry {
    Things things();

    ThingTypes thingTypes();

    ThingGroups thingGroups();

    Policies policies();

    Certificates certificates();

    CaCertificates caCertificates();

    Attachments attachments();

    Authorizations authorizations();
}
