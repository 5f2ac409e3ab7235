package io.tributary.bridge.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The {@code http-api} section: where Tributary's HTTP API listens (publish, retained messages, Server-Sent
 * Events, webhook subscriptions) and the tokens it accepts.
 *
 * @param host the address to bind; loopback by default
 * @param port the port; 0 picks a free one
 * @param tokens where the accepted bearer tokens are read from; at least one
 * @param tls the certificate and key to serve HTTPS with, or {@code null} for plain HTTP
 */
public record HttpApiSettings(String host, int port, List<Secret> tokens, Tls tls) {

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
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("the HTTP API needs at least one token");
        }
    }

    /** Plain HTTP. */
    public HttpApiSettings(String host, int port, List<Secret> tokens) {
        this(host, port, tokens, null);
    }

    /** A copy served over HTTPS with {@code files}. */
    public HttpApiSettings withTls(Tls files) {
        return new HttpApiSettings(host, port, tokens, files);
    }
}
