package io.tributary.routes.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Vert.x server of the API, on the Vert.x instance the API owns (not one found in the registry), and the
 * platform-http engine whose consumers attach to its router by name. Neither registers itself under the
 * registry's default platform-http names, so the API does not take over a {@code platform-http:} endpoint
 * that a Camel YAML route of the user may have.
 */
final class ApiHttpServer extends VertxPlatformHttpServer {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHttpServer.class);
    private static final int STOP_TIMEOUT_SECONDS = 10;

    private final Vertx vertx;

    ApiHttpServer(VertxPlatformHttpServerConfiguration configuration, Vertx vertx) {
        super(configuration);
        this.vertx = vertx;
    }

    @Override
    protected void doInit() {
        // The Vert.x instance is the API's: nothing to look up (the Camel server would log that it found one).
    }

    @Override
    protected Vertx lookupVertx() {
        return vertx;
    }

    /**
     * Closes the HTTP server only: the Camel server would also remove the context's {@code platform-http}
     * component, which is not the API's and may serve the user's Camel YAML routes.
     */
    @Override
    protected void stopServer() {
        HttpServer server = getServer();
        if (server == null) {
            return;
        }
        CountDownLatch closed = new CountDownLatch(1);
        server.close().onComplete(result -> closed.countDown());
        try {
            if (!closed.await(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("The HTTP server of the API did not close within {} s", STOP_TIMEOUT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The engine of the API's platform-http component: its consumers use the API's router. */
    static final class Engine extends VertxPlatformHttpEngine {

        private final String routerName;
        private final ApiHttpServer server;

        Engine(String routerName, ApiHttpServer server) {
            this.routerName = routerName;
            this.server = server;
        }

        @Override
        protected void doInit() {
            // Unlike the default engine, not bound into the registry as the platform-http engine.
        }

        @Override
        public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
            return new VertxPlatformHttpConsumer(endpoint, processor, List.of(), routerName);
        }

        @Override
        public int getServerPort() {
            return server.getPort();
        }
    }
}
