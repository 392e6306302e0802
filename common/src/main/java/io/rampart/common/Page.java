package io.rampart.common;

import java.util.List;
import java.util.Objects;

/**
 * One page of a list call: the items, and the opaque token for the next page, or null on the last page.
 */
public record Page<T>(List<T> items, String nextToken) {
    public Page {
        items = List.copyOf(items);
    }

    public boolean hasMore() {
        return nextToken != null;
    }

    /** The paging parameters of a list call: {@code maxResults} (bounded) and the token from the previous page. */
    public record Request(int maxResults, String nextToken) {
        public static final int DEFAULT_MAX_RESULTS = 25;
        public static final int LIMIT = 250;

        public Request {
            if (maxResults < 1 || maxResults > LIMIT) {
                throw RampartException.invalidRequest("maxResults must be between 1 and " + LIMIT + ", got " + maxResults);
            }
        }

        public static Request first(int maxResults) {
            return new Request(maxResults, null);
        }

        public static Request of(Integer maxResults, String nextToken) {
            return new Request(Objects.requireNonNullElse(maxResults, DEFAULT_MAX_RESULTS), nextToken);
        }
    }
}
