package io.rampart.defender;

import io.rampart.store.DatabaseTest;
import io.rampart.store.Dialect;

@DatabaseTest(Dialect.POSTGRESQL)
class DefenderServicePostgresqlTest extends DefenderServiceContract {
}
