package io.tributary.bridge.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code http-api} section of Tributary's HTTP API (publish, retained messages, Server-Sent Events, webhook
 * subscriptions): where it listens, where the bearer tokens it accepts are read from, whether
 * webhooks registered through it may reach private addresses, and the files it serves HTTPS with.
 *
 * @param tokens where the accepted bearer tokens are read from; they act as the user
 *     {@value HttpApiKeys#TOKENS_USER} under the broker's access rules
 * @param users where the tokens of named users are read from, by user name
 * @param allowPrivateWebhookTargets whether webhooks registered through the API may reach private addresses
 * @param tls the certificate and key to serve HTTPS with, or {@code null} for plain HTTP
 */
public record HttpApiSettings(String host, int port, List<Secret> tokens, Map<String, Secret> users,
                              boolean allowPrivateWebhookTargets, Tls tls) {

    /**
     * The PEM files the API serves HTTPS with, as a broker listener's {@code cert} and {@code key}; re-read
     * when they change.
     */
    public record Tls(Path certificateChain, Path privateKey) {
        public Tls {
            Objects.requireNonNull(certificateChain, "certificateChain");
            Objects.requireNonNull(privateKey, "privateKey");
        }
    }

    public HttpApiSettings {
        Objects.requireNonNull(host, "host");
        tokens = List.copyOf(tokens);
        users = Collections.unmodifiableMap(new LinkedHashMap<>(users));
        if (tokens.isEmpty() && users.isEmpty()) {
            throw new IllegalArgumentException("the HTTP API needs at least one token");
        }
    }

    /**
     * Plain HTTP, tokens that all act as the user {@value HttpApiKeys#TOKENS_USER}, and webhooks registered
     * through the API reaching public addresses only: the defaults.
     */
    public HttpApiSettings(String host, int port, List<Secret> tokens) {
        this(host, port, tokens, Map.of(), false, null);
    }

    /** A copy with tokens acting as named users. */
    public HttpApiSettings withUsers(Map<String, Secret> named) {
        return new HttpApiSettings(host, port, tokens, named, allowPrivateWebhookTargets, tls);
    }

    /** A copy that lets webhooks registered through the API reach private addresses, or not. */
    public HttpApiSettings withPrivateWebhookTargets(boolean allowed) {
        return new HttpApiSettings(host, port, tokens, users, allowed, tls);
    }

    /** A copy served over HTTPS with {@code files}. */
    public HttpApiSettings withTls(Tls files) {
        return new HttpApiSettings(host, port, tokens, users, allowPrivateWebhookTargets, files);
    }
}
