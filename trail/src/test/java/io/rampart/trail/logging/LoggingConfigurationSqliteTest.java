package io.rampart.trail.logging;

import io.rampart.store.DatabaseTest;
import io.rampart.store.Dialect;

@DatabaseTest(Dialect.SQLITE)
class LoggingConfigurationSqliteTest extends LoggingConfigurationContract {
}
