package io.rampart.registry;

import io.rampart.store.DatabaseTest;
import io.rampart.store.Dialect;

@DatabaseTest(Dialect.SQLITE)
class RegistrySqliteTest extends RegistryContract {
}
