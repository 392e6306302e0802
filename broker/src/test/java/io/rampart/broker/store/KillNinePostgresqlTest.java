package io.rampart.broker.store;

import io.rampart.store.DatabaseTest;
import io.rampart.store.Dialect;
import io.rampart.store.TestDatabase;

@DatabaseTest(Dialect.POSTGRESQL)
class KillNinePostgresqlTest extends KillNineContract {
    KillNinePostgresqlTest(TestDatabase db) {
        super(db);
    }
}
