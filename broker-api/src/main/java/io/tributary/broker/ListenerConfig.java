package io.tributary.broker;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One network endpoint of the broker, as {@code Broker.builder()} takes it and as the configuration file's
 * {@code broker.listeners} are read into.
 *
 * @param name a name for logs and for {@code ClientInfo.listener()}
 * @param transport plain MQTT over TCP, or MQTT over WebSocket
 * @param host the address to bind; {@code 127.0.0.1} unless asked otherwise
 * @param port the port to bind; 0 picks a free one (see {@code Broker.boundPort(String)})
 * @param path the HTTP path of a WebSocket listener, {@code /mqtt} by default
 * @param tls certificate and key files for TLS, or {@code null} for a plain listener
 * @param allowAnonymous when true, clients from any address may connect without credentials; otherwise
 *     only clients on a loopback address may (the secure default, as in Mosquitto 2), and with a
 *     {@link AuthConfig} configured not even those
 */
public record ListenerConfig(String name, ListenerType transport, String host, int port, String path, Tls tls,
                             boolean allowAnonymous) {

    /** The address a listener binds unless asked otherwise: this machine only. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    /** The HTTP path of a WebSocket listener unless asked otherwise. */
    public static final String DEFAULT_PATH = "/mqtt";

    /** A PEM certificate chain and PKCS#8 private key. */
    public record Tls(Path certificateChain, Path privateKey) {
        public Tls {
            Objects.requireNonNull(certificateChain, "certificateChain");
            Objects.requireNonNull(privateKey, "privateKey");
        }
    }

    public ListenerConfig {
        Objects.requireNonNull(transport, "transport");
        host = host == null ? DEFAULT_HOST : host;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535, was " + port);
        }
        path = path == null ? DEFAULT_PATH : path;
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a WebSocket path starts with '/', was " + path);
        }
        name = name == null ? transport.name().toLowerCase(java.util.Locale.ROOT) + "-" + port : name;
    }

    /** Plain MQTT over TCP on {@code host:port}. */
    public static ListenerConfig tcp(String host, int port) {
        return new ListenerConfig(null, ListenerType.TCP, host, port, null, null, false);
    }

    /** MQTT over WebSocket on {@code host:port} at {@code path}. */
    public static ListenerConfig websocket(String host, int port, String path) {
        return new ListenerConfig(null, ListenerType.WEBSOCKET, host, port, path, null, false);
    }

    /** A copy with another name. */
    public ListenerConfig named(String newName) {
        return new ListenerConfig(newName, transport, host, port, path, tls, allowAnonymous);
    }

    /** A copy served over TLS. */
    public ListenerConfig withTls(Tls newTls) {
        return new ListenerConfig(name, transport, host, port, path, newTls, allowAnonymous);
    }

    /** A copy that lets clients connect from any address without credentials. */
    public ListenerConfig allowingAnonymous() {
        return new ListenerConfig(name, transport, host, port, path, tls, true);
    }
}
