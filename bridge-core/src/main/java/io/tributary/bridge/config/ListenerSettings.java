package io.tributary.bridge.config;

import io.tributary.broker.ListenerType;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One listener of the {@code broker.listeners} list, validated.
 *
 * @param name unique among the listeners; {@code TYPE-PORT} such as {@code tcp-1883} unless given
 * @param type TCP or WebSocket
 * @param host the address to bind
 * @param port the port to bind; 0 picks a free one
 * @param path the HTTP path of a WebSocket listener; unused by a TCP one
 * @param tls the certificate and key when the listener serves TLS
 * @param allowAnonymous whether clients from any address may connect without credentials
 */
public record ListenerSettings(String name, ListenerType type, String host, int port, String path,
                               Optional<TlsSettings> tls, boolean allowAnonymous) {

    public ListenerSettings {
        BrokerKeys.LISTENER_NAME.require(name);
        Objects.requireNonNull(type, "type");
        BrokerKeys.LISTENER_HOST.require(host);
        BrokerKeys.LISTENER_PORT.require(port);
        BrokerKeys.LISTENER_PATH.require(path);
        Objects.requireNonNull(tls, "tls");
    }

    /** The listener used when none is configured: plain TCP on 127.0.0.1:1883. */
    public static ListenerSettings defaultListener() {
        return plain(ListenerType.TCP, BrokerKeys.LISTENER_HOST.defaultValue(), ListenerType.TCP.defaultPort());
    }

    /** A listener without TLS or anonymous access from other hosts, named by {@link #defaultName}. */
    public static ListenerSettings plain(ListenerType type, String host, int port) {
        return new ListenerSettings(defaultName(type, port), type, host, port, BrokerKeys.LISTENER_PATH.defaultValue(),
                Optional.empty(), false);
    }

    /** The name of a listener that was given none: {@code tcp-1883}. */
    public static String defaultName(ListenerType type, int port) {
        return type.name().toLowerCase(Locale.ROOT) + "-" + port;
    }
}
