package io.rampart.api;

import io.rampart.store.DatabaseTest;
import io.rampart.store.Dialect;

@DatabaseTest(Dialect.SQLITE)
class AccessKeysSqliteTest extends AccessKeysContract {
}
