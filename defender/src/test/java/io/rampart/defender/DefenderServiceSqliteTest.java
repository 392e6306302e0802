package io.rampart.defender;

import io.rampart.store.DatabaseTest;
import io.rampart.store.Dialect;

@DatabaseTest(Dialect.SQLITE)
class DefenderServiceSqliteTest extends DefenderServiceContract {
}
