/**
 * The registry: things, thing types, static thing groups, IoT policies and versions, device and CA certificates,
 * attachments, and the authorization queries built on them, with AWS IoT's semantics, names and limits.
 *
 * <p>Open it with {@link io.rampart.registry.Registry#open}; it migrates its own tables ({@code reg_*}, Flyway
 * history {@code flyway_registry_history}) in the given {@link io.rampart.store.Database}. Every list call takes a
 * {@link io.rampart.common.Page.Request} and answers an opaque nextToken; every failure is a
 * {@link io.rampart.common.RampartException} whose type is the AWS exception name the API answers with.
 */
package io.rampart.registry;
