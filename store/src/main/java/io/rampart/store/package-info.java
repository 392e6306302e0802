/**
 * JDBC plumbing shared by every module that keeps state: {@link io.rampart.store.Database} opens an embedded SQLite
 * file (WAL, full sync, foreign keys) or a PostgreSQL database behind a HikariCP pool, runs each component's Flyway
 * migrations with its own history table, and runs work in retried transactions.
 *
 * <p>Tests of other modules use the store test-jar: {@code @DatabaseTest(Dialect.SQLITE)} /
 * {@code @DatabaseTest(Dialect.POSTGRESQL)} on two empty subclasses of one abstract contract give each class an
 * isolated temporary database and inject a {@code TestDatabase}.
 */
package io.rampart.store;
