package io.rampart.broker.store;

import io.rampart.store.DatabaseTest;
import io.rampart.store.Dialect;
import io.rampart.store.TestDatabase;

@DatabaseTest(Dialect.SQLITE)
class KillNineSqliteTest extends KillNineContract {
    KillNineSqliteTest(TestDatabase db) {
        super(db);
    }
}
