package io.tributary.routes.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.routes.metrics.Monitoring;
import io.tributary.routes.metrics.Readiness;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * {@code GET /metrics} (the Prometheus text format 0.0.4), {@code GET /health/live} and
 * {@code GET /health/ready}: Vert.x handlers on the API's router, answered without a token. The scrape and
 * the readiness checks (which may wait for Kafka and the databases) run on worker threads.
 */
final class HealthEndpoints {

    private final Monitoring monitoring;

    HealthEndpoints(Monitoring monitoring) {
        this.monitoring = monitoring;
    }

    void install(Router router) {
        router.get(ApiPaths.METRICS).blockingHandler(this::metrics, false);
        router.get(ApiPaths.LIVE).handler(HealthEndpoints::live);
        router.get(ApiPaths.READY).blockingHandler(this::ready, false);
    }

    private void metrics(RoutingContext ctx) {
        String text = monitoring.registry().scrape();
        if (!ctx.response().ended()) {
            ctx.response().setStatusCode(200)
                    .putHeader("Content-Type", Monitoring.PROMETHEUS_CONTENT_TYPE)
                    .end(text);
        }
    }

    private static void live(RoutingContext ctx) {
        HttpApi.answer(ctx, 200, status("up"));
    }

    private void ready(RoutingContext ctx) {
        Readiness.Result result = monitoring.readiness().check();
        ObjectNode answer = ApiJson.MAPPER.createObjectNode();
        answer.put("status", result.up() ? "up" : "down");
        ObjectNode checks = answer.putObject("checks");
        for (Map.Entry<String, String> check : result.checks().entrySet()) {
            checks.put(check.getKey(), check.getValue());
        }
        ctx.response().putHeader("Cache-Control", "no-store");
        HttpApi.answer(ctx, result.up() ? 200 : 503, ApiJson.write(answer));
    }

    private static String status(String status) {
        ObjectNode answer = ApiJson.MAPPER.createObjectNode();
        answer.put("status", status);
        return ApiJson.write(answer);
    }
}
