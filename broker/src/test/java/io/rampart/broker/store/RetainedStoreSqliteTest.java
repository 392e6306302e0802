package io.rampart.broker.store;

import io.rampart.store.DatabaseTest;
import io.rampart.store.Dialect;
import io.rampart.store.TestDatabase;

@DatabaseTest(Dialect.SQLITE)
class RetainedStoreSqliteTest extends RetainedStoreContract {
    RetainedStoreSqliteTest(TestDatabase db) {
        super(db);
    }
}
