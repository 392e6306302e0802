package io.rampart.registry.internal;

import io.rampart.common.Page;
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
}
