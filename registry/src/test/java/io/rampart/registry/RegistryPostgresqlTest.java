package io.rampart.registry;

import io.rampart.store.DatabaseTest;
import io.rampart.store.Dialect;

@DatabaseTest(Dialect.POSTGRESQL)
class RegistryPostgresqlTest extends RegistryContract {
}
