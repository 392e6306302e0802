package io.rampart.broker.gateway;

import io.rampart.store.DatabaseTest;
import io.rampart.store.Dialect;
import io.rampart.store.TestDatabase;

@DatabaseTest(Dialect.SQLITE)
class DurableSessionsSqliteTest extends DurableSessionsContract {
    DurableSessionsSqliteTest(TestDatabase db) {
        super(db);
    }
}
