package io.rampart.trail.logging;

import io.rampart.store.DatabaseTest;
import io.rampart.store.Dialect;

@DatabaseTest(Dialect.POSTGRESQL)
class LoggingConfigurationPostgresqlTest extends LoggingConfigurationContract {
}
