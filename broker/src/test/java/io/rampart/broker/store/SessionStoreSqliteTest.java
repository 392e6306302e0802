package io.rampart.broker.store;

import io.rampart.store.DatabaseTest;
import io.rampart.store.Dialect;
import io.rampart.store.TestDatabase;

@DatabaseTest(Dialect.SQLITE)
class SessionStoreSqliteTest extends SessionStoreContract {
    SessionStoreSqliteTest(TestDatabase db) {
        super(db);
    }
}
