package io.tributary.routes.api.console;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The operator console: a static page (HTML, CSS and plain JavaScript, all served from this package's
 * resources, nothing from elsewhere) at {@code GET /console}, its assets at {@code GET /console/NAME}.
 *
 * <p>The page itself is public: it holds no data. It reads the API token from the URL fragment
 * ({@code /console#token=T}, which browsers never send to a server) or from a field, keeps it in the tab's
 * {@code sessionStorage}, and calls the API with {@code Authorization: Bearer}: {@code GET /api/v1/routes}
 * (which also tells a refused token) and {@code GET /metrics} every two seconds, {@code GET /api/v1/clients}
 * every five, {@code DELETE /api/v1/clients/ID} to disconnect a client, {@code GET /api/v1/retained} for the
 * retained browser and {@code GET /api/v1/stream?filter=F} for the topic browser.
 *
 * <p>{@code GET /} redirects here, so that the API's address opened in a browser shows the console.
 *
 * <p>Because the page is fetched without a token, it must be routed before the API's authentication
 * handler: call {@link #register(Router)} before that handler is added. Its routes have order
 * {@link Integer#MIN_VALUE}; Vert.x runs routes of equal order in the order they were added.
 */
public final class ConsolePage implements Handler<RoutingContext> {

    /** Where the page is served. */
    public static final String PATH = "/console";

    private static final String ASSET_PREFIX = PATH + "/";
    private static final String INDEX = "index.html";
    private static final Map<String, String> ASSETS = Map.of(
            INDEX, "text/html; charset=utf-8",
            "console.css", "text/css; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8");
    /** Only this origin's own files, scripts and connections; nothing inline, no framing. */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; "
            + "style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";

    private final Map<String, Buffer> content;

    /** Reads the page's files from the class path; fails at once when one is missing. */
    public ConsolePage() {
        Map<String, Buffer> read = new java.util.HashMap<>();
        for (String name : ASSETS.keySet()) {
            read.put(name, Buffer.buffer(resource(name)));
        }
        content = Map.copyOf(read);
    }

    /**
     * Adds the console's routes to {@code router}: {@code /console} and {@code /console/*}. Call it before
     * the API's authentication handler is added, so the page loads without a token.
     */
    public static void register(Router router) {
        router.routeWithRegex("^" + PATH + "(/.*)?$").order(Integer.MIN_VALUE).handler(new ConsolePage());
        // The API's root has nothing of its own: a browser pointed at the address finds the console.
        router.route("/").order(Integer.MIN_VALUE).handler(ConsolePage::root);
    }

    private static void root(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            ctx.next();
            return;
        }
        securityHeaders(ctx.response()).setStatusCode(302).putHeader("Location", PATH).end();
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        HttpServerResponse response = ctx.response();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            response.putHeader("Allow", "GET, HEAD");
            plain(response, 405, method.name() + " is not allowed on " + PATH + "; use GET");
            return;
        }
        String path = ctx.normalizedPath();
        String name;
        if (PATH.equals(path)) {
            name = INDEX;
        } else if (ASSET_PREFIX.equals(path)) {
            // The page's links are relative to /console: send the browser there (it keeps the fragment).
            response.setStatusCode(301).putHeader("Location", PATH).end();
            return;
        } else {
            name = path.substring(ASSET_PREFIX.length());
        }
        Buffer body = content.get(name);
        String type = ASSETS.get(name);
        if (body == null || type == null) {
            plain(response, 404, "no such console file: " + path);
            return;
        }
        securityHeaders(response)
                .putHeader("Content-Type", type)
                .putHeader("Cache-Control", "no-cache")
                .setStatusCode(200)
                .end(body);
    }

    private static HttpServerResponse securityHeaders(HttpServerResponse response) {
        return response.putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("X-Frame-Options", "DENY");
    }

    private static void plain(HttpServerResponse response, int status, String text) {
        securityHeaders(response).setStatusCode(status)
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .end(text + "\n");
    }

    private static byte[] resource(String name) {
        try (InputStream in = ConsolePage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the console resource " + name + " is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("the console resource " + name + " cannot be read", e);
        }
    }
}
