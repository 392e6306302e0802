package io.rampart.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** The routes of one server, and the matching of a request line to one of them. */
final class RouteTable {
    /** What a method and raw path resolve to. */
    sealed interface Match {
        record Found(Route route, Map<String, String> pathParams) implements Match {
        }

        /** The path exists, but not for this method. */
        record WrongMethod(List<String> allowed) implements Match {
        }

        record NotFound() implements Match {
        }
    }

    private record Entry(Route route, PathTemplate template) {
    }

    private final List<Entry> entries;

    RouteTable(List<Route> routes) {
        List<Entry> compiled = new ArrayList<>();
        for (Route route : routes) {
            Entry entry = new Entry(route, new PathTemplate(route.template()));
            for (Entry existing : compiled) {
                if (existing.route().method().equals(route.method()) && existing.template().sameShape(entry.template())) {
                    throw new IllegalArgumentException("routes " + existing.route().operation() + " and "
                            + route.operation() + " both answer " + route.method() + " " + route.template());
                }
            }
            compiled.add(entry);
        }
        // Most specific templates first, so the first match wins.
        compiled.sort(Comparator.comparing(Entry::template, PathTemplate::compareSpecificity));
        this.entries = List.copyOf(compiled);
    }

    Match match(String method, String rawPath) {
        TreeSet<String> allowed = new TreeSet<>();
        for (Entry entry : entries) {
            Optional<Map<String, String>> params = entry.template().match(rawPath);
            if (params.isEmpty()) {
                continue;
            }
            if (entry.route().method().equals(method)) {
                return new Match.Found(entry.route(), params.get());
            }
            allowed.add(entry.route().method());
        }
        return allowed.isEmpty() ? new Match.NotFound() : new Match.WrongMethod(List.copyOf(allowed));
    }
}
