package io.tributary.bridge.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code http-api} section: where Tributary's HTTP API listens (publish, retained messages, Server-Sent
 * Events, webhook subscriptions) and the tokens it accepts.
 *
 * @param host the address to bind; loopback by default
 * @param port the port; 0 picks a free one
 * @param tokens where the accepted bearer tokens are read from; they act as the user
 *     {@value HttpApiKeys#TOKENS_USER} under the broker's access rules
 * @param users where the tokens of named users are read from, by user name
 */
public record HttpApiSettings(String host, int port, List<Secret> tokens, Map<String, Secret> users) {

    public HttpApiSettings {
        Objects.requireNonNull(host, "host");
        tokens = List.copyOf(tokens);
        users = Collections.unmodifiableMap(new LinkedHashMap<>(users));
        if (tokens.isEmpty() && users.isEmpty()) {
            throw new IllegalArgumentException("the HTTP API needs at least one token");
        }
    }

    /** Settings whose tokens all act as the user {@value HttpApiKeys#TOKENS_USER}. */
    public HttpApiSettings(String host, int port, List<Secret> tokens) {
        this(host, port, tokens, Map.of());
    }
}
