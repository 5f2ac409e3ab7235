package io.tributary.routes.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;

/**
 * Whether each route is running, by the route's name ({@link RouteMeters#nameOf}): while a reload swaps a
 * route, its old and new generations share a name, and the name is running as long as either is started.
 */
public final class RouteStates {

    private RouteStates() {
    }

    /** Each route name with the status that counts for it: started if any of its routes is. */
    public static Map<String, ServiceStatus> byName(CamelContext context) {
        Map<String, ServiceStatus> states = new LinkedHashMap<>();
        for (Route route : context.getRoutes()) {
            ServiceStatus status = route.isAutoStartup()
                    ? context.getRouteController().getRouteStatus(route.getRouteId()) : ServiceStatus.Started;
            states.merge(RouteMeters.nameOf(route), status == null ? ServiceStatus.Stopped : status,
                    (a, b) -> a == ServiceStatus.Started ? a : b);
        }
        return states;
    }

    /** Whether a route of that name is started. */
    static boolean isStarted(CamelContext context, String name) {
        return byName(context).get(name) == ServiceStatus.Started;
    }

    /** The names not started, each with its status: {@code alarms (stopped)}. */
    static List<String> notStarted(CamelContext context) {
        return byName(context).entrySet().stream()
                .filter(e -> e.getValue() != ServiceStatus.Started)
                .map(e -> e.getKey() + " (" + e.getValue().name().toLowerCase(Locale.ROOT) + ")")
                .toList();
    }
}
