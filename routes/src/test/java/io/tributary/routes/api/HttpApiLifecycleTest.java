package io.tributary.routes.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.bridge.camel.TributaryComponent;
import io.tributary.bridge.config.HttpApiSettings;
import io.tributary.bridge.config.Secret;
import io.tributary.broker.Broker;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.ListenerConfig;
import io.tributary.routes.http.WebhookSinks;
import io.tributary.routes.spi.PartStartException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting fails clearly, and leaves nothing behind in the bridge's Camel context. */
class HttpApiLifecycleTest {

    static final Map<String, String> ENVIRONMENT = Map.of("API_TOKEN", "secret-value");

    @TempDir
    Path data;
    Broker broker;
    DefaultCamelContext context;
    WebhookSinks sinks;

    @BeforeEach
    void start() {
        broker = Broker.builder().config(BrokerConfig.builder()
                .listener(ListenerConfig.tcp("127.0.0.1", 0).named("tcp")).build()).build();
        broker.start().join();
        context = new DefaultCamelContext();
        context.disableJMX();
        context.start();
        sinks = new WebhookSinks(ENVIRONMENT);
    }

    @AfterEach
    void stop() {
        context.stop();
        sinks.close();
        broker.close();
    }

    HttpApi startApi(int port, String variable) {
        return HttpApi.start(new HttpApiSettings("127.0.0.1", port, List.of(Secret.fromEnvironment(variable))),
                context, broker, sinks, data, ENVIRONMENT);
    }

    void assertNothingLeft() {
        assertNull(context.hasComponent(HttpApi.COMPONENT));
        assertNull(context.hasComponent(TributaryComponent.SCHEME));
        assertEquals(0, context.getRoutesSize(), context.getRoutes().toString());
    }

    @Test
    void aPortInUseFailsTheStartNamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            PartStartException e = assertThrows(PartStartException.class,
                    () -> startApi(taken.getLocalPort(), "API_TOKEN"));
            assertTrue(e.getMessage().contains("127.0.0.1:" + taken.getLocalPort()), e.getMessage());
        }
        assertNothingLeft();
        // And the context can have the API afterwards.
        startApi(0, "API_TOKEN").close();
        assertNothingLeft();
    }

    @Test
    void aTokenThatCannotBeReadFailsTheStartWithoutShowingAnyValue() {
        PartStartException e = assertThrows(PartStartException.class, () -> startApi(0, "NOT_SET"));
        assertTrue(e.getMessage().contains("NOT_SET"), e.getMessage());
        assertFalse(e.getMessage().contains("secret-value"), e.getMessage());
        assertNothingLeft();
    }

    @Test
    void aCorruptWebhookFileFailsTheStartNamingIt() throws Exception {
        Files.writeString(data.resolve(WebhookRegistry.FILE_NAME),
                "{\"webhooks\":[{\"name\":\"bad name\",\"filter\":\"a/#\",\"url\":\"http://h/x\"}]}");
        PartStartException e = assertThrows(PartStartException.class, () -> startApi(0, "API_TOKEN"));
        assertTrue(e.getMessage().contains(WebhookRegistry.FILE_NAME), e.getMessage());
        assertTrue(e.getMessage().contains("'name' must be"), e.getMessage());
        assertNothingLeft();
    }
}
