package io.rampart.shadow;

import io.rampart.store.DatabaseTest;
import io.rampart.store.Dialect;

@DatabaseTest(Dialect.POSTGRESQL)
class ShadowServicePostgresqlTest extends ShadowServiceContract {
}
