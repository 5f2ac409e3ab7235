package io.tributary.routes.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.broker.Permissions;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request/answer endpoints of the API as Camel platform-http routes. Each route has one processor that
 * reads the request, does the work and sets the answer; what it refuses becomes {@code {"error": "..."}}
 * with its status. The answer carries only its own headers, never the request's.
 */
final class ApiRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(ApiRoutes.class);
    private static final String JSON = "application/json; charset=utf-8";
    static final List<String> ROUTE_IDS = List.of("tributary-api-publish", "tributary-api-retained",
            "tributary-api-webhooks", "tributary-api-webhook", "tributary-api-openapi", "tributary-api-clients",
            "tributary-api-client", "tributary-api-routes", "tributary-api-cluster");

    private final String component;
    private final PublishRequests publish;
    private final RetainedRequests retained;
    private final WebhookRegistry webhooks;
    private final byte[] openApi;
    private final ApiUsers users;
    private final ClientRequests clients;
    private final RouteRequests routes;
    private final ClusterRequests cluster;

    ApiRoutes(CamelContext context, String component, PublishRequests publish, RetainedRequests retained,
              WebhookRegistry webhooks, String openApi, ApiUsers users, ClientRequests clients,
              RouteRequests routes, ClusterRequests cluster) {
        super(context);
        this.component = component;
        this.publish = publish;
        this.retained = retained;
        this.webhooks = webhooks;
        this.openApi = openApi.getBytes(StandardCharsets.UTF_8);
        this.users = users;
        this.clients = clients;
        this.routes = routes;
        this.cluster = cluster;
    }

    /** What a processor answers. */
    private record Answer(int status, String contentType, byte[] body) {
        static Answer json(int status, String json) {
            return new Answer(status, JSON, json.getBytes(StandardCharsets.UTF_8));
        }
    }

    @FunctionalInterface
    private interface Handler {
        Answer handle(Exchange exchange);
    }

    @Override
    public void configure() {
        from(uri(ApiPaths.PUBLISH, "POST")).routeId(ROUTE_IDS.get(0))
                .process(answer(exchange -> Answer.json(200, publish.publish(body(exchange), access(exchange)))));
        from(uri(ApiPaths.RETAINED, "GET")).routeId(ROUTE_IDS.get(1))
                .process(answer(exchange -> Answer.json(200,
                        retained.read(parameter(exchange, "topic"), parameter(exchange, "filter"),
                                parameter(exchange, "limit"), access(exchange)))));
        from(uri(ApiPaths.WEBHOOKS, "GET,POST")).routeId(ROUTE_IDS.get(2))
                .process(answer(exchange -> "GET".equals(request(exchange).method().name())
                        ? Answer.json(200, webhooks.list())
                        : Answer.json(201, webhooks.create(body(exchange), access(exchange)))));
        from(uri(ApiPaths.WEBHOOK, "DELETE")).routeId(ROUTE_IDS.get(3))
                .process(answer(exchange -> {
                    String path = request(exchange).path();
                    String name = path.substring(path.lastIndexOf('/') + 1);
                    webhooks.delete(name);
                    ObjectNode answer = ApiJson.MAPPER.createObjectNode();
                    answer.put("deleted", name);
                    return Answer.json(200, ApiJson.write(answer));
                }));
        from(uri(ApiPaths.OPENAPI, "GET")).routeId(ROUTE_IDS.get(4))
                .process(answer(exchange -> new Answer(200, "application/yaml; charset=utf-8", openApi)));
        from(uri(ApiPaths.CLIENTS, "GET")).routeId(ROUTE_IDS.get(5))
                .process(answer(exchange -> Answer.json(200, clients.list(parameter(exchange, "after"),
                        parameter(exchange, "limit"), parameter(exchange, "scope"), user(exchange)))));
        from(uri(ApiPaths.CLIENT, "DELETE")).routeId(ROUTE_IDS.get(6))
                .process(answer(exchange -> {
                    String path = request(exchange).path();
                    return Answer.json(200, clients.disconnect(path.substring(path.lastIndexOf('/') + 1),
                            user(exchange)));
                }));
        from(uri(ApiPaths.ROUTES, "GET")).routeId(ROUTE_IDS.get(7))
                .process(answer(exchange -> Answer.json(200, routes.list())));
        from(uri(ApiPaths.CLUSTER, "GET")).routeId(ROUTE_IDS.get(8))
                .process(answer(exchange -> Answer.json(200, cluster.describe(user(exchange)))));
    }

    private String uri(String path, String methods) {
        return component + ":" + path + "?httpMethodRestrict=" + methods + "&muteException=true";
    }

    private static Processor answer(Handler handler) {
        return exchange -> {
            Answer answer;
            try {
                answer = handler.handle(exchange);
            } catch (ApiException e) {
                answer = Answer.json(e.status(), ApiJson.error(e.getMessage()));
            } catch (RuntimeException e) {
                LOG.warn("HTTP API request failed", e);
                answer = Answer.json(500, ApiJson.error("internal error: " + HttpApi.describe(e)));
            }
            org.apache.camel.Message out = exchange.getMessage();
            out.getHeaders().clear();
            out.setHeader(Exchange.HTTP_RESPONSE_CODE, answer.status());
            out.setHeader(Exchange.CONTENT_TYPE, answer.contentType());
            out.setBody(answer.body());
        };
    }

    /** What the user of the request's token may do under the broker's access rules. */
    private Permissions access(Exchange exchange) {
        return users.of(request(exchange).getHeader("Authorization"));
    }

    private String user(Exchange exchange) {
        return users.userOf(request(exchange).getHeader("Authorization"));
    }

    private static HttpServerRequest request(Exchange exchange) {
        return exchange.getIn(HttpMessage.class).getRequest();
    }

    private static byte[] body(Exchange exchange) {
        String contentType = request(exchange).getHeader("Content-Type");
        // platform-http reads a form body into parameters and leaves none: say so rather than "empty body",
        // since `curl -d` sends exactly that unless told otherwise.
        if (contentType != null && !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(415, "the body must be JSON: send Content-Type: application/json, got "
                    + contentType);
        }
        Object body = exchange.getIn().getBody();
        if (body == null) {
            return new byte[0];
        }
        if (body instanceof Buffer buffer) {
            return buffer.getBytes();
        }
        return exchange.getIn().getBody(byte[].class);
    }

    /** A query parameter given at most once, or null. */
    private static String parameter(Exchange exchange, String name) {
        MultiMap parameters = request(exchange).params();
        List<String> values = parameters.getAll(name);
        if (values.size() > 1) {
            throw ApiException.badRequest("give the query parameter '" + name + "' once");
        }
        return values.isEmpty() ? null : values.get(0);
    }
}
