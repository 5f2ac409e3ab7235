package io.tributary.routes;

import io.tributary.bridge.config.RouteSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How one list of routes differs from another, by route name: routes only in the new list are added, routes
 * only in the old one removed, and routes in both but written differently (where in the file does not count)
 * changed.
 */
public record RouteChanges(List<String> added, List<String> changed, List<String> removed) {

    public RouteChanges {
        added = List.copyOf(added);
        changed = List.copyOf(changed);
        removed = List.copyOf(removed);
    }

    /** The changes that turn {@code running} into {@code wanted}. */
    public static RouteChanges between(List<RouteSettings> running, List<RouteSettings> wanted) {
        Map<String, RouteSettings> before = byName(running);
        Map<String, RouteSettings> after = byName(wanted);
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        after.forEach((name, route) -> {
            RouteSettings old = before.get(name);
            if (old == null) {
                added.add(name);
            } else if (!sameDefinition(old, route)) {
                changed.add(name);
            }
        });
        List<String> removed = before.keySet().stream().filter(name -> !after.containsKey(name)).toList();
        return new RouteChanges(added, changed, removed);
    }

    /** Whether nothing changed. */
    public boolean isEmpty() {
        return added.isEmpty() && changed.isEmpty() && removed.isEmpty();
    }

    /** For a log line: {@code added [a], changed [b], removed [c]}, leaving out what is empty. */
    @Override
    public String toString() {
        if (isEmpty()) {
            return "no route changed";
        }
        Map<String, List<String>> parts = new LinkedHashMap<>();
        parts.put("added", added);
        parts.put("changed", changed);
        parts.put("removed", removed);
        return parts.entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static boolean sameDefinition(RouteSettings a, RouteSettings b) {
        return a.equals(new RouteSettings(b.name(), b.from(), b.to(), b.condition(), b.retry(), b.deadLetter(),
                a.location(), b.ack(), b.buffer()));
    }

    private static Map<String, RouteSettings> byName(List<RouteSettings> routes) {
        Map<String, RouteSettings> byName = new LinkedHashMap<>();
        routes.forEach(route -> byName.put(route.name(), route));
        return byName;
    }
}
