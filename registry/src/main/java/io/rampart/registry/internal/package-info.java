/**
 * The SQL implementation of the registry, one class per service over the shared {@code Store}. One migration
 * serves SQLite and PostgreSQL (TEXT, BIGINT, INTEGER, BOOLEAN; times as epoch milliseconds). Uniqueness and
 * concurrency rest on database constraints and row locks ({@code SELECT ... FOR UPDATE} on PostgreSQL; SQLite
 * transactions begin IMMEDIATE and so already hold the write lock). Lists use keyset pagination.
 */
package io.rampart.registry.internal;
