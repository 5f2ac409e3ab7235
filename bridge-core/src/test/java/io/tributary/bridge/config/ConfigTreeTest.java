package io.tributary.bridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigTreeTest {

    @Test
    void everySectionSitsInTheTreeAtItsDocumentedPath() {
        List<String> paths = ConfigSchema.SECTIONS.stream().map(ConfigSchema::pathOf).toList();

        assertEquals(List.of("", "broker", "broker.listeners[]", "broker.listeners[].tls", "broker.auth",
                "broker.auth.acl[]",
                "connections",
                "connections.kafka.<name>", "connections.jdbc.<name>", "connections.jdbc.<name>.password",
                "connections.mqtt.<name>", "connections.mqtt.<name>.tls",
                "routes[]", "routes[].from", "routes[].from.mqtt", "routes[].from.kafka", "routes[].to", "routes[].to.kafka",
                "routes[].to.mqtt", "routes[].to.http", "routes[].to.http.auth", "routes[].to.http.auth.basic",
                "routes[].to.jdbc", "routes[].to.jdbc.columns.<name>", "routes[].to.jdbc.batch", "routes[].retry",
                "routes[].buffer",
                "http-api", "http-api.tls", "cluster", "cluster.partitions", "hivemq"), paths);
    }

    @Test
    void environmentVariablesDoNotReachIntoSecrets() {
        List<String> unreachable = ConfigTree.placed().stream().filter(p -> !p.overridable())
                .map(ConfigTree.Placed::path).toList();

        assertEquals(List.of("connections.jdbc.<name>.password", "http-api.tokens", "http-api.users"), unreachable);
    }
}
