package io.rampart.store;

import java.sql.PreparedStatement;

/**
 * Child process of {@link DatabaseSqliteTest#aKillDashNineLosesNoCommittedTransaction}: commits rows one by one and
 * prints each row's name only after its commit returned, until it is killed.
 */
final class CrashingWriter {
    private CrashingWriter() {
    }

    public static void main(String[] args) {
        Database db = Database.open(args[0]);
        db.migrate("storetest");
        for (int i = 0; ; i++) {
            String name = "row-" + i;
            db.inTransaction(c -> {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO counters (name, value) VALUES (?, 0)")) {
                    s.setString(1, name);
                    return s.executeUpdate();
                }
            });
            System.out.println(name);
            System.out.flush();
        }
    }
}
