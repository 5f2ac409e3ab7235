package io.tributary.bridge.config;

import java.util.List;
import java.util.Objects;

/**
 * The {@code http-api} section: where Tributary's HTTP API listens (publish, retained messages, Server-Sent
 * Events, webhook subscriptions) and the tokens it accepts.
 *
 * @param host the address to bind; loopback by default
 * @param port the port; 0 picks a free one
 * @param tokens where the accepted bearer tokens are read from; at least one
 * @param allowPrivateWebhookTargets whether webhooks registered through the API may reach private addresses
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
