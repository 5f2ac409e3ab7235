package io.tributary.routes.api;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The endpoints of the API, for telling an unknown path (404) from a wrong method (405). */
final class ApiPaths {

    static final String BASE = "/api/v1";
    static final String PUBLISH = BASE + "/publish";
    static final String RETAINED = BASE + "/retained";
    static final String STREAM = BASE + "/stream";
    static final String WEBHOOKS = BASE + "/webhooks";
    static final String WEBHOOK = BASE + "/webhooks/{name}";
    static final String CLIENTS = BASE + "/clients";
    static final String CLIENT = BASE + "/clients/{id}";
    static final String ROUTES = BASE + "/routes";
    static final String CLUSTER = BASE + "/cluster";
    static final String OPENAPI = BASE + "/openapi.yaml";
    static final String METRICS = "/metrics";
    static final String LIVE = "/health/live";
    static final String READY = "/health/ready";
    /** The paths answered without a token: the API's description, the metrics and the health checks. */
    private static final Set<String> PUBLIC = Set.of(OPENAPI, METRICS, LIVE, READY);

    private record Endpoint(Pattern path, Set<String> methods) {
    }

    private static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint(Pattern.compile(Pattern.quote(PUBLISH)), Set.of("POST")),
            new Endpoint(Pattern.compile(Pattern.quote(RETAINED)), Set.of("GET")),
            new Endpoint(Pattern.compile(Pattern.quote(STREAM)), Set.of("GET")),
            new Endpoint(Pattern.compile(Pattern.quote(WEBHOOKS)), Set.of("GET", "POST")),
            new Endpoint(Pattern.compile(Pattern.quote(WEBHOOKS) + "/[^/]+"), Set.of("DELETE")),
            new Endpoint(Pattern.compile(Pattern.quote(CLIENTS)), Set.of("GET")),
            new Endpoint(Pattern.compile(Pattern.quote(CLIENTS) + "/[^/]+"), Set.of("DELETE")),
            new Endpoint(Pattern.compile(Pattern.quote(ROUTES)), Set.of("GET")),
            new Endpoint(Pattern.compile(Pattern.quote(CLUSTER)), Set.of("GET")),
            new Endpoint(Pattern.compile(Pattern.quote(OPENAPI)), Set.of("GET")),
            new Endpoint(Pattern.compile(Pattern.quote(METRICS)), Set.of("GET")),
            new Endpoint(Pattern.compile(Pattern.quote(LIVE)), Set.of("GET")),
            new Endpoint(Pattern.compile(Pattern.quote(READY)), Set.of("GET")));

    private ApiPaths() {
    }

    /** True for a path answered without a token. */
    static boolean isPublic(String path) {
        return PUBLIC.contains(trim(path));
    }

    /** The methods {@code path} answers to; empty for a path the API does not have. */
    static Set<String> methods(String path) {
        String trimmed = trim(path);
        for (Endpoint endpoint : ENDPOINTS) {
            if (endpoint.path().matcher(trimmed).matches()) {
                return endpoint.methods();
            }
        }
        return Set.of();
    }

    private static String trim(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
