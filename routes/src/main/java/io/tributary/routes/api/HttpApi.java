package io.tributary.routes.api;

import io.tributary.bridge.camel.TributaryComponent;
import io.tributary.bridge.config.HttpApiKeys;
import io.tributary.bridge.config.HttpApiSettings;
import io.tributary.bridge.config.Secret;
import io.tributary.broker.InProcessBroker;
import io.tributary.routes.api.console.ConsolePage;
import io.tributary.routes.http.WebhookSinks;
import io.tributary.routes.metrics.Monitoring;
import io.tributary.routes.metrics.Readiness;
import io.tributary.routes.metrics.RouteMeters;
import io.tributary.routes.spi.PartStartException;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.spi.EventNotifier;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tributary's HTTP API: publish into the broker, read retained messages, follow topics as Server-Sent Events,
 * register webhooks at run time, list and disconnect clients, read each route's last error; and the operator
 * console ({@link ConsolePage}), to which {@code GET /} redirects. It runs on Camel platform-http with Vert.x, in the bridge's Camel
 * context: the request/answer endpoints are Camel routes, the event stream is a Vert.x handler on the same
 * router (it writes as messages come, which a Camel exchange cannot), as are {@code /metrics} and
 * {@code /health/*}. Every endpoint but {@code GET /api/v1/openapi.yaml}, {@code /metrics} and
 * {@code /health/*} wants {@code Authorization: Bearer TOKEN} with one of the configured tokens. Errors are {@code {"error": "..."}}. The endpoints are documented in {@code openapi.yaml}, beside
 * this class.
 */
public final class HttpApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

    /** The largest request body taken. */
    static final long MAX_BODY_BYTES = 1024 * 1024;
    static final String COMPONENT = "tributary-http-api";
    /** The ids of the API's request/answer routes, which carry no messages (the webhook routes do). */
    public static final List<String> REQUEST_ROUTE_IDS = ApiRoutes.ROUTE_IDS;
    static final String OPENAPI_RESOURCE = "openapi.yaml";
    private static final int STOP_TIMEOUT_SECONDS = 10;

    /** What tests may tune: how often an idle event stream gets a heartbeat, how much a stream may queue. */
    record Limits(Duration heartbeat, int streamQueueMessages, long streamQueueBytes, Duration publishTimeout) {
        static final Limits DEFAULTS = new Limits(Duration.ofSeconds(15), 1000, 8L * 1024 * 1024,
                Duration.ofSeconds(30));
    }

    private final CamelContext context;
    private final Vertx vertx;
    private final List<String> routeIds = new ArrayList<>();
    private ApiHttpServer server;
    private String routerName;
    private boolean componentAdded;
    private boolean brokerComponentAdded;
    private EventStreams streams;
    private WebhookRegistry webhooks;
    private Monitoring ownMonitoring;
    private HealthEndpoints health;
    private volatile boolean closed;

    private HttpApi(CamelContext context, Vertx vertx) {
        this.context = context;
        this.vertx = vertx;
    }

    /**
     * Starts the API in {@code context} and restores the webhooks stored in {@code dataDirectory}.
     *
     * @param context the bridge's Camel context; its {@code tributary} component is used for webhook routes
     *     (one is added for {@code broker} when it has none)
     * @param webhooks makes the webhook deliveries; closed by its owner, not by the API
     * @param environment where tokens named by environment variable are read
     * @throws PartStartException naming what could not start (a token that cannot be read, a port in use,
     *     a stored webhook that is not valid); whatever had started is stopped
     */
    public static HttpApi start(HttpApiSettings settings, CamelContext context, InProcessBroker broker,
                                WebhookSinks webhooks, Path dataDirectory, Map<String, String> environment) {
        return start(settings, context, broker, webhooks, dataDirectory, environment, Limits.DEFAULTS, null);
    }

    /**
     * Starts as {@link #start(HttpApiSettings, CamelContext, InProcessBroker, WebhookSinks, Path, Map)} does,
     * serving {@code monitoring}'s registry at {@code /metrics} and its checks at {@code /health/ready} (the
     * caller keeps owning both). Without it, the API serves a registry of its own with the JVM's and the
     * broker's meters, and checks the broker and the routes only.
     */
    public static HttpApi start(HttpApiSettings settings, CamelContext context, InProcessBroker broker,
                                WebhookSinks webhooks, Path dataDirectory, Map<String, String> environment,
                                Monitoring monitoring) {
        return start(settings, context, broker, webhooks, dataDirectory, environment, Limits.DEFAULTS, monitoring);
    }

    static HttpApi start(HttpApiSettings settings, CamelContext context, InProcessBroker broker,
                         WebhookSinks webhooks, Path dataDirectory, Map<String, String> environment, Limits limits) {
        return start(settings, context, broker, webhooks, dataDirectory, environment, limits, null);
    }

    static HttpApi start(HttpApiSettings settings, CamelContext context, InProcessBroker broker,
                         WebhookSinks webhooks, Path dataDirectory, Map<String, String> environment, Limits limits,
                         Monitoring monitoring) {
        BearerTokens tokens = readTokens(settings, environment);
        String openApi = openApi();
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(2)
                .setWorkerPoolSize(16)
                .setFileSystemOptions(new FileSystemOptions()
                        .setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
        HttpApi api = new HttpApi(context, vertx);
        if (monitoring == null) {
            api.ownMonitoring = new Monitoring(Monitoring.newRegistry(broker),
                    new Readiness(broker, context, Map.of(), Map::of));
            monitoring = api.ownMonitoring;
        }
        api.health = new HealthEndpoints(monitoring);
        try {
            api.startServer(settings);
            ApiUsers users = new ApiUsers(tokens, broker);
            api.streams = new EventStreams(broker, users, limits.heartbeat().toMillis(), limits.streamQueueMessages(),
                    limits.streamQueueBytes());
            api.installHandlers(tokens);
            api.webhooks = new WebhookRegistry(context, api.brokerComponent(broker), webhooks, dataDirectory,
                    Clock.systemUTC(), new WebhookTargets(settings.allowPrivateWebhookTargets()));
            api.webhooks.restore();
            ApiRoutes routes = new ApiRoutes(context, COMPONENT, new PublishRequests(broker, limits.publishTimeout()),
                    new RetainedRequests(broker), api.webhooks, openApi, users, new ClientRequests(broker),
                    new RouteRequests(context, routeMeters(context), Set.copyOf(ApiRoutes.ROUTE_IDS)),
                    new ClusterRequests(broker));
            api.routeIds.addAll(ApiRoutes.ROUTE_IDS);
            context.addRoutes(routes);
            LOG.info("HTTP API listening on {}:{}{}", settings.host(), api.port(),
                    settings.tls() != null ? " with TLS" : "");
            LOG.info("Console: {} ({}: {})", consoleUrl(settings, api.port()),
                    settings.tokens().size() + settings.users().size() == 1 ? "token" : "tokens",
                    tokenSources(settings));
            return api;
        } catch (Exception e) {
            api.close();
            if (e instanceof PartStartException started) {
                throw started;
            }
            throw new PartStartException("the HTTP API could not start on " + settings.host() + ":"
                    + settings.port() + ": " + describe(e), e);
        }
    }

    /**
     * Where a browser finds the console: the bound host (a wildcard address becomes {@code localhost}, which
     * reaches it from this machine), the bound port, https with TLS.
     */
    static String consoleUrl(HttpApiSettings settings, int port) {
        String host = settings.host();
        try {
            if (InetAddress.getByName(host).isAnyLocalAddress()) {
                host = "localhost";
            }
        } catch (UnknownHostException e) {
            // A name that does not resolve now is still the name to show.
        }
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return (settings.tls() != null ? "https" : "http") + "://" + host + ":" + port + ConsolePage.PATH;
    }

    /** Where the tokens are read from (a file, an environment variable), never the tokens. */
    private static String tokenSources(HttpApiSettings settings) {
        List<String> sources = new ArrayList<>();
        settings.tokens().forEach(secret -> sources.add(source(secret)));
        settings.users().forEach((user, secret) -> sources.add(source(secret) + " (user " + user + ")"));
        return String.join(", ", sources);
    }

    private static String source(Secret secret) {
        return secret.file() != null ? "file " + secret.file().toAbsolutePath() : secret.toString();
    }

    /** The bridge's route meters, which keep each route's last error; null when the context has none. */
    private static RouteMeters routeMeters(CamelContext context) {
        for (EventNotifier notifier : context.getManagementStrategy().getEventNotifiers()) {
            if (notifier instanceof RouteMeters meters) {
                return meters;
            }
        }
        return null;
    }

    /** The port the API listens on (the one picked when the settings said 0). */
    public int port() {
        return server.getPort();
    }

    /** How many event streams are open; for tests and metrics. */
    int openStreams() {
        return streams.openCount();
    }

    /**
     * Stops taking requests, ends the open event streams and stops the webhook routes (they stay stored and
     * come back with the next start). The Camel context goes on.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (String id : routeIds) {
            try {
                if (context.getRoute(id) == null) {
                    continue;
                }
                context.getRouteController().stopRoute(id, STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                context.removeRoute(id);
            } catch (Exception e) {
                LOG.warn("Removing route {} failed: {}", id, describe(e));
            }
        }
        if (streams != null) {
            streams.closeAll();
        }
        if (server != null) {
            try {
                context.removeService(server);
            } catch (Exception e) {
                LOG.debug("Removing the HTTP server service failed: {}", describe(e));
            }
            ServiceHelper.stopAndShutdownService(server);
            context.getRegistry().unbind(routerName);
        }
        if (componentAdded) {
            ServiceHelper.stopAndShutdownService(context.removeComponent(COMPONENT));
        }
        if (webhooks != null) {
            webhooks.close();
        }
        if (brokerComponentAdded) {
            ServiceHelper.stopAndShutdownService(context.removeComponent(TributaryComponent.SCHEME));
        }
        if (ownMonitoring != null) {
            ownMonitoring.readiness().close();
            ownMonitoring.registry().close();
        }
        CountDownLatch stopped = new CountDownLatch(1);
        vertx.close().onComplete(result -> stopped.countDown());
        try {
            if (!stopped.await(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("Vert.x of the HTTP API did not stop within {} s", STOP_TIMEOUT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void startServer(HttpApiSettings settings) throws Exception {
        VertxPlatformHttpServerConfiguration configuration = new VertxPlatformHttpServerConfiguration();
        configuration.setBindHost(settings.host());
        configuration.setBindPort(settings.port());
        configuration.setMaxBodySize(MAX_BODY_BYTES);
        configuration.getBodyHandler().setHandleFileUploads(false);
        ApiTls tls = settings.tls() == null ? null : ApiTls.of(settings.tls());
        if (tls != null) {
            try {
                configuration.setSslContextParameters(tls.contextParameters());
            } catch (IllegalArgumentException e) {
                throw new PartStartException("the HTTP API cannot serve TLS: " + e.getMessage(), e);
            }
        }
        server = new ApiHttpServer(configuration, vertx);
        server.setCamelContext(context);
        routerName = VertxPlatformHttpRouter.getRouterNameFromPort(settings.port());
        checkCanListen(settings);
        context.addService(server, true, true);
        if (tls != null) {
            ApiHttpServer started = server;
            tls.watch(vertx, started::getServer);
        }
        PlatformHttpComponent component = new PlatformHttpComponent();
        component.setEngine(new ApiHttpServer.Engine(routerName, server));
        context.addComponent(COMPONENT, component);
        componentAdded = true;
    }

    /**
     * Binds the address once, briefly: the Camel server only logs a failed bind, so a port in use or an
     * address that is not local is found here, with the system's reason.
     */
    private static void checkCanListen(HttpApiSettings settings) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(settings.host(), settings.port()));
        } catch (IOException e) {
            throw new PartStartException("the HTTP API cannot listen on " + settings.host() + ":" + settings.port()
                    + ": " + e.getMessage(), e);
        }
    }

    private TributaryComponent brokerComponent(InProcessBroker broker) {
        if (context.hasComponent(TributaryComponent.SCHEME) instanceof TributaryComponent existing) {
            return existing;
        }
        TributaryComponent component = new TributaryComponent(broker);
        context.addComponent(TributaryComponent.SCHEME, component);
        brokerComponentAdded = true;
        return component;
    }

    /** The Vert.x handlers around the Camel routes: authentication, the event stream, 404/405 and failures. */
    private void installHandlers(BearerTokens tokens) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context, routerName);
        if (router == null) {
            throw new IllegalStateException("the HTTP server registered no router named " + routerName);
        }
        // The console page is fetched without a token (it asks for one), so it is mounted before authentication:
        // Vert.x runs routes of equal order in the order they were added.
        ConsolePage.register(router);
        router.route().order(Integer.MIN_VALUE).handler(ctx -> authenticate(ctx, tokens));
        router.get(ApiPaths.STREAM).handler(streams::handle);
        health.install(router);
        router.route().order(Integer.MAX_VALUE).handler(HttpApi::notFound);
        router.route().failureHandler(HttpApi::failed);
    }

    private static void authenticate(RoutingContext ctx, BearerTokens tokens) {
        if (ApiPaths.isPublic(ctx.normalizedPath())) {
            ctx.next();
            return;
        }
        String authorization = ctx.request().getHeader("Authorization");
        if (tokens.accepts(authorization)) {
            ctx.next();
            return;
        }
        String problem;
        if (authorization == null || authorization.isBlank()) {
            problem = "the Authorization header is missing: send Authorization: Bearer TOKEN";
        } else if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            problem = "the Authorization header must use the Bearer scheme: Authorization: Bearer TOKEN";
        } else {
            problem = "the bearer token is not accepted";
        }
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"tributary\"");
        answer(ctx, 401, ApiJson.error(problem));
    }

    private static void notFound(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        Set<String> methods = ApiPaths.methods(path);
        String method = ctx.request().method().name();
        if (methods.isEmpty()) {
            answer(ctx, 404, ApiJson.error("no such endpoint: " + method + " " + path + " (the endpoints are "
                    + "described at " + ApiPaths.OPENAPI + ")"));
        } else {
            String allowed = String.join(", ", new TreeSet<>(methods));
            ctx.response().putHeader("Allow", allowed);
            answer(ctx, 405, ApiJson.error(method + " is not allowed on " + path + "; use " + allowed));
        }
    }

    private static void failed(RoutingContext ctx) {
        int status = ctx.statusCode();
        String message;
        if (status == 413) {
            message = "the request body is larger than " + MAX_BODY_BYTES + " bytes";
        } else if (status >= 400 && status < 500) {
            message = "the request could not be read (HTTP " + status + ")";
        } else {
            status = 500;
            message = "internal error";
            LOG.warn("HTTP API request {} {} failed", ctx.request().method(), ctx.normalizedPath(), ctx.failure());
        }
        HttpServerResponse response = ctx.response();
        if (response.headWritten()) {
            if (!response.ended()) {
                response.end();
            }
            return;
        }
        if (status == 413) {
            // The rest of the body is not read: the connection cannot be used again.
            response.putHeader("Connection", "close");
        }
        answer(ctx, status, ApiJson.error(message));
    }

    /** Ends the request with a JSON answer. */
    static void answer(RoutingContext ctx, int status, String json) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.headWritten()) {
            return;
        }
        response.setStatusCode(status)
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .end(json);
    }

    private static BearerTokens readTokens(HttpApiSettings settings, Map<String, String> environment) {
        List<BearerTokens.Token> tokens = new ArrayList<>();
        for (Secret secret : settings.tokens()) {
            tokens.add(new BearerTokens.Token(readToken(secret, environment, "a token"), HttpApiKeys.TOKENS_USER));
        }
        settings.users().forEach((user, secret) ->
                tokens.add(new BearerTokens.Token(readToken(secret, environment, "the token of user " + user), user)));
        return new BearerTokens(tokens, true);
    }

    private static String readToken(Secret secret, Map<String, String> environment, String what) {
        try {
            return secret.read(environment);
        } catch (IllegalStateException e) {
            throw new PartStartException(what + " of the HTTP API cannot be read: " + e.getMessage(), e);
        }
    }

    private static String openApi() {
        try (InputStream in = HttpApi.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the resource " + OPENAPI_RESOURCE + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("the resource " + OPENAPI_RESOURCE + " cannot be read", e);
        }
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root == e || e.getMessage() == null ? message : e.getMessage() + " (" + message + ")";
    }
}
