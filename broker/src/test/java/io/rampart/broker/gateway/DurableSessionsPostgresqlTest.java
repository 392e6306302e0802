package io.rampart.broker.gateway;

import io.rampart.store.DatabaseTest;
import io.rampart.store.Dialect;
import io.rampart.store.TestDatabase;

@DatabaseTest(Dialect.POSTGRESQL)
class DurableSessionsPostgresqlTest extends DurableSessionsContract {
    DurableSessionsPostgresqlTest(TestDatabase db) {
        super(db);
    }
}
