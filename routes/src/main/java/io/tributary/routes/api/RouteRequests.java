package io.tributary.routes.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.routes.metrics.RouteMeters;
import io.tributary.routes.metrics.RouteStates;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;

/**
 * {@code GET /api/v1/routes}: each route by name, with its state and its last error (time and message), for the
 * console; the counts are at {@code /metrics}. The API's own request routes and the routes reached through
 * {@code direct:} (dead-letter steps) are left out. The last errors are those the bridge's {@link RouteMeters}
 * saw; without one (an API started on its own) every {@code lastError} is null.
 */
final class RouteRequests {

    private final CamelContext context;
    private final RouteMeters meters;
    private final Set<String> ignoredIds;

    /** @param meters the bridge's route meters, or null */
    RouteRequests(CamelContext context, RouteMeters meters, Set<String> ignoredIds) {
        this.context = context;
        this.meters = meters;
        this.ignoredIds = Set.copyOf(ignoredIds);
    }

    String list() {
        Map<String, ServiceStatus> states = new TreeMap<>(RouteStates.byName(context));
        for (Route route : context.getRoutes()) {
            if (ignoredIds.contains(route.getRouteId())
                    || route.getEndpoint().getEndpointUri().startsWith("direct:")) {
                states.remove(RouteMeters.nameOf(route));
            }
        }
        Map<String, RouteMeters.RouteError> errors = meters == null ? Map.of() : meters.lastErrors();
        ObjectNode answer = ApiJson.MAPPER.createObjectNode();
        ArrayNode routes = answer.putArray("routes");
        states.forEach((name, state) -> {
            ObjectNode route = routes.addObject();
            route.put("name", name);
            route.put("state", state.name().toLowerCase(Locale.ROOT));
            RouteMeters.RouteError error = errors.get(name);
            if (error == null) {
                route.putNull("lastError");
            } else {
                route.putObject("lastError").put("time", error.time().toString()).put("message", error.message());
            }
        });
        return ApiJson.write(answer);
    }
}
