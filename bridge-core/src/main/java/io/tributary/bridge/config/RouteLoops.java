package io.tributary.bridge.config;

import io.tributary.bridge.mapping.TopicPattern;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds routes that send messages round in a circle through one MQTT broker: a route writing to a broker (the
 * built-in one or a {@code connections.mqtt} connection) a topic that a route reading that broker may take, and so
 * on back to the first. A circle of one route is one that reads its own copies. Such routes are refused when the
 * configuration is loaded: nothing at run time would stop them on the built-in broker or over MQTT 3.1.1 (which
 * carries no hop count). Two routes joined this way without a way back, such as built-in to cloud and cloud to Kafka,
 * are a chain and allowed.
 *
 * <p>The test is conservative: a level of the written topic holding a placeholder of the source that is one level
 * stands for any one level; a level holding anything else (a multi-level placeholder, a header, a JSON field) for any
 * number of levels. A route with a condition counts as well, since no condition can be proven to break the circle.
 * Brokers are told apart by their connection name: two connections to one broker's address are two brokers here,
 * and only their hop count stops a circle through both. Dead letters are not followed.
 */
final class RouteLoops {

    private static final Pattern VARIABLE = Pattern.compile("\\{([^{}]+)\\}");

    /** Routes that send messages round in a circle, in the order of the file, with what joins each to the next. */
    record Loop(List<String> routes, List<String> joins) {
        Loop {
            routes = List.copyOf(routes);
            joins = List.copyOf(joins);
        }

        /** What the error says: which routes, what joins them, and how to break the circle. */
        String describe() {
            String names = routes.size() == 1 ? "route '" + routes.get(0) + "' reads"
                    : "routes " + String.join(", ", routes.stream().map(n -> "'" + n + "'").toList()) + " read";
            return names + " what " + (routes.size() == 1 ? "it writes" : "they write") + ", so messages would go "
                    + "round for ever: " + String.join("; ", joins) + ". Give the forwarded copies a topic prefix "
                    + "that the source does not match";
        }
    }

    private RouteLoops() {
    }

    /** Every circle among {@code routes}, one per group of routes that reach each other, first route first. */
    static List<Loop> find(List<RouteSettings> routes) {
        int n = routes.size();
        boolean[][] edge = new boolean[n][n];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                edge[a][b] = feeds(routes.get(a), routes.get(b));
            }
        }
        boolean[][] reach = reach(edge);
        List<Loop> loops = new ArrayList<>();
        Set<Integer> placed = new HashSet<>();
        for (int a = 0; a < n; a++) {
            if (placed.contains(a) || !reach[a][a]) {
                continue;
            }
            List<Integer> group = new ArrayList<>();
            for (int b = a; b < n; b++) {
                if (reach[a][b] && reach[b][a]) {
                    group.add(b);
                }
            }
            placed.addAll(group);
            List<String> joins = new ArrayList<>();
            for (int from : group) {
                for (int to : group) {
                    if (edge[from][to]) {
                        joins.add(join(routes.get(from), routes.get(to)));
                    }
                }
            }
            loops.add(new Loop(group.stream().map(i -> routes.get(i).name()).toList(), joins));
        }
        return loops;
    }

    /** Whether messages {@code writer} writes may be read by {@code reader}: same broker, topics that may match. */
    static boolean feeds(RouteSettings writer, RouteSettings reader) {
        if (!(writer.to() instanceof RouteSink.Mqtt sink)) {
            return false;
        }
        Optional<Filter> filter = Filter.of(reader.from());
        return filter.isPresent() && filter.get().broker().equals(sink.connection())
                && mayMatch(levels(sink, writer.from()), 0, filter.get().levels(), 0);
    }

    private static String join(RouteSettings writer, RouteSettings reader) {
        RouteSink.Mqtt sink = (RouteSink.Mqtt) writer.to();
        Filter filter = Filter.of(reader.from()).orElseThrow();
        return "'" + writer.name() + "' writes '" + sink.topic() + "' to "
                + sink.connection().map(c -> "MQTT connection '" + c + "'").orElse("the built-in broker") + ", which '"
                + reader.name() + "' reads as '" + filter.pattern() + "'";
    }

    /** A route's MQTT source: the broker (empty for the built-in one) and the filter's levels. */
    private record Filter(Optional<String> broker, TopicPattern pattern, List<String> levels) {
        static Optional<Filter> of(RouteSource source) {
            if (source instanceof RouteSource.Mqtt mqtt) {
                return Optional.of(new Filter(Optional.empty(), mqtt.filter(), filterLevels(mqtt.filter())));
            }
            if (source instanceof RouteSource.ExternalMqtt external) {
                return Optional.of(new Filter(Optional.of(external.connection()), external.filter(),
                        filterLevels(external.filter())));
            }
            return Optional.empty();
        }

        private static List<String> filterLevels(TopicPattern pattern) {
            return List.of(pattern.mqttFilter().split("/", -1));
        }
    }

    /** What a level of a written topic may be. */
    private enum Level { ONE, MANY }

    /** The levels of the sink's topic: a literal level as written, else {@link Level#ONE} or {@link Level#MANY}. */
    private static List<Object> levels(RouteSink.Mqtt sink, RouteSource source) {
        Set<String> oneLevel = new HashSet<>();
        if (Filter.of(source).isPresent()) {
            for (String level : Filter.of(source).get().pattern().pattern().split("/", -1)) {
                if (level.startsWith("{") && level.endsWith("}") && !level.endsWith("...}")) {
                    oneLevel.add(level.substring(1, level.length() - 1));
                }
            }
        }
        List<Object> levels = new ArrayList<>();
        for (String level : sink.topic().toString().split("/", -1)) {
            String unescaped = level.replace("{{", "").replace("}}", "");
            Matcher variables = VARIABLE.matcher(unescaped);
            if (!variables.find()) {
                levels.add(level.replace("{{", "{").replace("}}", "}"));
                continue;
            }
            boolean one = true;
            do {
                one &= oneLevel.contains(variables.group(1).trim());
            } while (variables.find());
            levels.add(one ? Level.ONE : Level.MANY);
        }
        return levels;
    }

    /** Whether some topic of {@code topic} from level {@code t} on matches {@code filter} from level {@code f} on. */
    private static boolean mayMatch(List<Object> topic, int t, List<String> filter, int f) {
        if (f == filter.size()) {
            return t == topic.size();
        }
        if (filter.get(f).equals("#")) {
            return true;
        }
        if (t == topic.size()) {
            return false;
        }
        Object level = topic.get(t);
        if (level == Level.MANY) {
            // Takes this filter level, then goes on taking levels or stops.
            return mayMatch(topic, t, filter, f + 1) || mayMatch(topic, t + 1, filter, f + 1);
        }
        boolean matches = level == Level.ONE || filter.get(f).equals("+") || filter.get(f).equals(level);
        return matches && mayMatch(topic, t + 1, filter, f + 1);
    }

    /** {@code reach[a][b]}: a path of one edge or more leads from a to b. */
    private static boolean[][] reach(boolean[][] edge) {
        int n = edge.length;
        boolean[][] reach = new boolean[n][];
        for (int a = 0; a < n; a++) {
            reach[a] = edge[a].clone();
        }
        for (int k = 0; k < n; k++) {
            for (int a = 0; a < n; a++) {
                if (reach[a][k]) {
                    for (int b = 0; b < n; b++) {
                        reach[a][b] |= reach[k][b];
                    }
                }
            }
        }
        return reach;
    }
}
