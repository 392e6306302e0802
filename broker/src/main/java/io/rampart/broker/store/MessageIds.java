package io.rampart.broker.store;

import io.rampart.store.Database;
import io.rampart.store.Dialect;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Hands out message ids without a database round trip per message: it reserves blocks of ids in
 * {@code broker_id_blocks} (one short transaction per block), so nodes sharing a database never collide and ids
 * grow over time on each node (queues are read in id order).
 */
final class MessageIds {
    static final long BLOCK_SIZE = 100_000;

    private final Database database;
    private long next;
    private long limit;

    MessageIds(Database database) {
        this.database = database;
        // Reserve the first block now, at start-up, rather than on the first PUBLISH's thread.
        this.next = reserve();
        this.limit = next + BLOCK_SIZE;
    }

    synchronized long next() {
        if (next >= limit) {
            next = reserve();
            limit = next + BLOCK_SIZE;
        }
        return next++;
    }

    private long reserve() {
        String lock = database.dialect() == Dialect.POSTGRESQL ? " FOR UPDATE" : "";
        return database.inTransaction(connection -> {
            long start;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT next_value FROM broker_id_blocks WHERE name = 'message'" + lock);
                 ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new SQLException("broker_id_blocks has no 'message' row: the broker migrations did not run");
                }
                start = row.getLong(1);
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE broker_id_blocks SET next_value = ? WHERE name = 'message'")) {
                update.setLong(1, start + BLOCK_SIZE);
                update.executeUpdate();
            }
            return start;
        });
    }
}
