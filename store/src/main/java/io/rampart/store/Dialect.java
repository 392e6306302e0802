package io.rampart.store;

import java.util.Locale;

/** The SQL databases Rampart runs on; the name (lower case) is also the migration folder of that dialect. */
public enum Dialect {
    SQLITE,
    POSTGRESQL;

    /** The folder name under {@code db/<component>/} holding this dialect's migrations. */
    public String folder() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The dialect of a JDBC URL, or an error naming the URLs Rampart accepts. */
    public static Dialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("unsupported JDBC URL '" + redact(jdbcUrl)
                + "': use jdbc:sqlite:/path/to/file.db or jdbc:postgresql://host:port/database");
    }

    /** The URL without its query string, so a password passed as a parameter never reaches a message. */
    static String redact(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query) + "?...";
    }
}
