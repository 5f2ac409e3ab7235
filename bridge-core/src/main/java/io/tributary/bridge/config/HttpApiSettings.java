package io.tributary.bridge.config;

import java.util.List;
import java.util.Objects;

/**
 * The {@code http-api} section: where Tributary's HTTP API listens (publish, retained messages, Server-Sent
 * Events, webhook subscriptions), where the bearer tokens it accepts are read from, and whether webhooks
 * registered through it may reach private addresses.
 */
public record HttpApiSettings(String host, int port, List<Secret> tokens, boolean allowPrivateWebhookTargets) {

    public HttpApiSettings {
        Objects.requireNonNull(host, "host");
        tokens = List.copyOf(tokens);
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("the HTTP API needs at least one token");
        }
    }

    /** Settings where webhooks registered through the API reach public addresses only, the default. */
    public HttpApiSettings(String host, int port, List<Secret> tokens) {
        this(host, port, tokens, false);
    }
}
