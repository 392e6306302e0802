package io.rampart.registry.internal;

import io.rampart.common.Page;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;

/** Cuts a query result fetched with LIMIT max+1 into a page and the token of the next one. */
final class Pages {
    private Pages() {
    }

    static <T> Page<T> of(List<T> rows, int maxResults, Function<T, String> tokenOfLast) {
        if (rows.size() <= maxResults) {
            return new Page<>(rows, null);
        }
        List<T> items = rows.subList(0, maxResults);
        return new Page<>(items, tokenOfLast.apply(items.getLast()));
    }

    /**
     * One page of {@code column} from the rows of {@code table} whose {@code keyColumn} is {@code key}, in
     * {@code column} order (keyset paging: the token carries the last value; {@code tokenKind} names the list so a
     * token from another list is refused). Table and column names are the callers' constants, never user input.
     */
    static Page<String> ofColumn(Connection c, String table, String keyColumn, Object key, String column,
                                 String tokenKind, Page.Request page) throws SQLException {
        List<String> after = PageTokens.decode(tokenKind, page.nextToken(), 1);
        String sql = "SELECT " + column + " FROM " + table + " WHERE " + keyColumn + " = ?"
                + (after != null ? " AND " + column + " > ?" : "") + " ORDER BY " + column + " LIMIT ?";
        Object[] args = after != null
                ? new Object[] {key, after.getFirst(), page.maxResults() + 1}
                : new Object[] {key, page.maxResults() + 1};
        List<String> rows = Jdbc.list(c, sql, rs -> rs.getString(1), args);
        return of(rows, page.maxResults(), last -> PageTokens.encode(tokenKind, last));
    }
}
