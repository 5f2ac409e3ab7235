package io.tributary.bridge.config;

import java.util.List;
import java.util.Objects;

/**
 * The {@code http-api} section: where Tributary's HTTP API listens (publish, retained messages, Server-Sent
 * Events, webhook subscriptions) and where the bearer tokens it accepts are read from.
 */
public record HttpApiSettings(String host, int port, List<Secret> tokens) {

    public HttpApiSettings {
        Objects.requireNonNull(host, "host");
        tokens = List.copyOf(tokens);
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("the HTTP API needs at least one token");
        }
    }
}
