package io.tributary.broker;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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
 * @param tls how the listener serves TLS, or {@code null} for a plain listener
 * @param allowAnonymous when true, clients from any address may connect without credentials; otherwise
 *     only clients on a loopback address may (the secure default, as in Mosquitto 2), and with a
 *     {@link AuthConfig} configured not even those
 * @param allowedOrigins WebSocket only: the browser origins ({@code https://app.example.com}, compared without
 *     regard to case; {@code *} for any) whose pages may open MQTT over WebSocket. A request without an
 *     {@code Origin} header (not from a browser) is always taken; one from another origin is refused with
 *     HTTP 403. Empty by default, so that no web page can reach the broker through a visitor's browser.
 */
public record ListenerConfig(String name, ListenerType transport, String host, int port, String path, Tls tls,
                             boolean allowAnonymous, List<String> allowedOrigins) {

    /** The address a listener binds unless asked otherwise: this machine only. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    /** The HTTP path of a WebSocket listener unless asked otherwise. */
    public static final String DEFAULT_PATH = "/mqtt";

    /** The TLS protocol versions a listener offers unless asked otherwise: older ones have known weaknesses. */
    public static final List<String> DEFAULT_TLS_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** Whether a TLS listener asks clients for a certificate. */
    public enum ClientAuth {
        /** No client certificate is asked for. */
        NONE,
        /** A certificate is asked for; a client may connect without one, but one it sends must verify. */
        OPTIONAL,
        /** The handshake fails unless the client sends a certificate signed by the client CA. */
        REQUIRED
    }

    /**
     * How a listener serves TLS. The files are read when the listener starts and read again when they change,
     * so a renewed certificate is used by new connections without a restart.
     *
     * @param certificateChain the PEM certificate chain, the server's certificate first
     * @param privateKey the PEM (PKCS#8) private key of the first certificate
     * @param clientCa PEM certificates of the authorities that sign client certificates, or {@code null}
     * @param clientAuth whether clients are asked for a certificate; not {@code NONE} only with a client CA
     * @param identityAsUsername when true, the subject CN of the client's verified certificate is its username
     *     and no password is asked (as Mosquitto's {@code use_identity_as_username}); needs a client CA
     * @param protocols the protocol versions offered, {@link #DEFAULT_TLS_PROTOCOLS} when empty or null
     * @param cipherSuites the cipher suites offered; the JDK's defaults for the protocols when empty or null
     */
    public record Tls(Path certificateChain, Path privateKey, Path clientCa, ClientAuth clientAuth,
                      boolean identityAsUsername, List<String> protocols, List<String> cipherSuites) {
        public Tls {
            Objects.requireNonNull(certificateChain, "certificateChain");
            Objects.requireNonNull(privateKey, "privateKey");
            clientAuth = clientAuth == null ? ClientAuth.NONE : clientAuth;
            protocols = protocols == null || protocols.isEmpty() ? DEFAULT_TLS_PROTOCOLS : List.copyOf(protocols);
            cipherSuites = cipherSuites == null ? List.of() : List.copyOf(cipherSuites);
            if (clientAuth != ClientAuth.NONE && clientCa == null) {
                throw new IllegalArgumentException("client-auth " + clientAuth.name().toLowerCase(Locale.ROOT)
                        + " needs a client CA to verify certificates with");
            }
            if (identityAsUsername && (clientCa == null || clientAuth == ClientAuth.NONE)) {
                throw new IllegalArgumentException(
                        "identity-as-username needs a client CA and client-auth optional or required");
            }
        }

        /** Server authentication only, with the default protocols and cipher suites. */
        public Tls(Path certificateChain, Path privateKey) {
            this(certificateChain, privateKey, null, ClientAuth.NONE, false, null, null);
        }

        /** A copy that asks clients for certificates signed by {@code ca}. */
        public Tls withClientCa(Path ca, ClientAuth auth) {
            return new Tls(certificateChain, privateKey, ca, auth, identityAsUsername, protocols, cipherSuites);
        }

        /** A copy that takes the client certificate's subject CN as the username. */
        public Tls withIdentityAsUsername() {
            return new Tls(certificateChain, privateKey, clientCa, clientAuth, true, protocols, cipherSuites);
        }

        /** A copy that offers exactly {@code versions}. */
        public Tls withProtocols(List<String> versions) {
            return new Tls(certificateChain, privateKey, clientCa, clientAuth, identityAsUsername, versions,
                    cipherSuites);
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
        name = name == null ? transport.name().toLowerCase(Locale.ROOT) + "-" + port : name;
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
    }

    /** A listener that no browser page may reach over WebSocket. */
    public ListenerConfig(String name, ListenerType transport, String host, int port, String path, Tls tls,
                          boolean allowAnonymous) {
        this(name, transport, host, port, path, tls, allowAnonymous, List.of());
    }

    /** Whether a browser page from {@code origin} may open this WebSocket listener. */
    public boolean allowsOrigin(String origin) {
        for (String allowed : allowedOrigins) {
            if (allowed.equals("*") || allowed.equalsIgnoreCase(origin)) {
                return true;
            }
        }
        return false;
    }

    /** A copy that lets pages from {@code origins} open this WebSocket listener. */
    public ListenerConfig withAllowedOrigins(List<String> origins) {
        return new ListenerConfig(name, transport, host, port, path, tls, allowAnonymous, origins);
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
        return new ListenerConfig(newName, transport, host, port, path, tls, allowAnonymous, allowedOrigins);
    }

    /** A copy served over TLS. */
    public ListenerConfig withTls(Tls newTls) {
        return new ListenerConfig(name, transport, host, port, path, newTls, allowAnonymous, allowedOrigins);
    }

    /** A copy that lets clients connect from any address without credentials. */
    public ListenerConfig allowingAnonymous() {
        return new ListenerConfig(name, transport, host, port, path, tls, true, allowedOrigins);
    }
}
