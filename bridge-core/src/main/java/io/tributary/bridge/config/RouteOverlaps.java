package io.tributary.bridge.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds routes that read one {@code connections.mqtt} connection through two subscriptions that can both match one
 * topic, such as {@code a/#} and {@code a/+/b}, or one filter in two shared groups. The link is one client, so such a
 * message comes to it as one copy per matching subscription when the broker chooses so (Mosquitto 2.0 does over MQTT
 * 5, and for shared subscriptions over 3.1.1 too), and the link hands every copy to every route whose filter matches:
 * each route would get the message once per subscription, on every message. Such routes are refused when the
 * configuration is loaded.
 *
 * <p>Routes with the same subscription (the same filter once placeholders become wildcards, the same shared group
 * or none, the same QoS) are allowed: the broker holds one subscription and sends one copy, which the link hands to
 * each route and acknowledges once all have it. The same filter at two QoS is refused, since the broker keeps one
 * subscription at the QoS asked last.
 */
final class RouteOverlaps {

    /** Two routes of one connection whose subscriptions overlap; {@code first} comes first in the file. */
    record Overlap(RouteSettings first, RouteSettings second) {

        /** What the error says, at the second route: both routes, the first's line, both filters and the way out. */
        String describe() {
            RouteSource.ExternalMqtt a = (RouteSource.ExternalMqtt) first.from();
            RouteSource.ExternalMqtt b = (RouteSource.ExternalMqtt) second.from();
            String firstAt = first.location().hasLine() ? " (line " + first.location().line() + ")" : "";
            if (subscribed(a).equals(subscribed(b))) {
                return "route '" + second.name() + "' reads '" + subscribed(b) + "' from MQTT connection '"
                        + b.connection() + "' at QoS " + b.qos().value() + ", and route '" + first.name() + "'"
                        + firstAt + " reads it at QoS " + a.qos().value() + "; the broker keeps one subscription, at "
                        + "the QoS asked last: give both routes the same qos, or each its own connection";
            }
            return "routes '" + first.name() + "'" + firstAt + " and '" + second.name() + "' read MQTT connection '"
                    + b.connection() + "' as '" + subscribed(a) + "' and '" + subscribed(b) + "', which can both "
                    + "match one topic; the broker may send such a message once per subscription, and each route "
                    + "would get every copy: give each route its own connection (another client-id), or filters "
                    + "that match no topic in common";
        }
    }

    private RouteOverlaps() {
    }

    /** Every pair of routes whose subscriptions on one connection overlap, in the order of the file. */
    static List<Overlap> find(List<RouteSettings> routes) {
        List<Overlap> overlaps = new ArrayList<>();
        for (int b = 0; b < routes.size(); b++) {
            for (int a = 0; a < b; a++) {
                if (overlap(routes.get(a), routes.get(b))) {
                    overlaps.add(new Overlap(routes.get(a), routes.get(b)));
                    break; // One error per route is enough to name the problem.
                }
            }
        }
        return overlaps;
    }

    /** Whether both routes read one connection through different subscriptions that may match one topic. */
    static boolean overlap(RouteSettings first, RouteSettings second) {
        if (!(first.from() instanceof RouteSource.ExternalMqtt a)
                || !(second.from() instanceof RouteSource.ExternalMqtt b)
                || !a.connection().equals(b.connection())) {
            return false;
        }
        if (subscribed(a).equals(subscribed(b))) {
            return a.qos() != b.qos();
        }
        return intersect(a.filter().mqttFilter().split("/", -1), b.filter().mqttFilter().split("/", -1));
    }

    /** The filter as the link subscribes to it. */
    private static String subscribed(RouteSource.ExternalMqtt source) {
        Optional<String> group = source.sharedGroup();
        return group.map(g -> "$share/" + g + "/").orElse("") + source.filter().mqttFilter();
    }

    /** Whether some topic matches both filters; a wildcard first level matches no topic starting with {@code $}. */
    static boolean intersect(String[] a, String[] b) {
        if (wildcard(a[0]) && b[0].startsWith("$") || wildcard(b[0]) && a[0].startsWith("$")) {
            return false;
        }
        return intersect(a, 0, b, 0);
    }

    private static boolean intersect(String[] a, int i, String[] b, int j) {
        if (i < a.length && a[i].equals("#") || j < b.length && b[j].equals("#")) {
            return true; // '#' also matches the parent level, so whatever the other filter has left matches.
        }
        if (i == a.length || j == b.length) {
            return i == a.length && j == b.length;
        }
        boolean level = a[i].equals("+") || b[j].equals("+") || a[i].equals(b[j]);
        return level && intersect(a, i + 1, b, j + 1);
    }

    private static boolean wildcard(String level) {
        return level.equals("+") || level.equals("#");
    }
}
