package io.tributary.bridge.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One named external MQTT broker that routes read from and write to, over one MQTT 5 session of its own: one client
 * identifier, kept across restarts of Tributary for {@code sessionExpiry}, so that the broker keeps what it has not
 * yet seen acknowledged.
 *
 * @param sessionExpiry how long the broker keeps the session after the link is gone; zero for none
 * @param keepAlive the MQTT keep-alive; zero for none
 * @param maxInFlight the Receive Maximum announced: QoS 1/2 messages from the broker not yet acknowledged, at most;
 *     also the most publishes to it waiting for their acknowledgement
 * @param publishTimeout how long a publish may wait for its acknowledgement before it fails
 * @param maxHops messages from the broker that went through this many of our publishes already are dropped
 * @param tls how an {@code ssl://} broker is checked and what client certificate it gets; empty for {@code tcp://},
 *     and for {@code ssl://} without a {@code tls} mapping (the JVM's trusted authorities, no client certificate)
 * @param version the MQTT version spoken to the broker
 */
public record MqttConnectionSettings(String name, Address url, String clientId, Optional<String> username,
                                     Optional<Secret> password, Duration sessionExpiry, Duration keepAlive,
                                     int maxInFlight, Duration publishTimeout, int maxHops, Optional<Tls> tls,
                                     Version version) {

    /** The MQTT versions a connection speaks, as written in {@code version}. */
    public enum Version {
        MQTT_5("5"), MQTT_3_1_1("3.1.1");

        private final String text;

        Version(String text) {
            this.text = text;
        }

        /** The version {@code text} ({@code 5} or {@code 3.1.1}) names. */
        static Version of(String text) {
            for (Version version : values()) {
                if (version.text.equals(text)) {
                    return version;
                }
            }
            throw new IllegalArgumentException("not an MQTT version: " + text);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * The TLS files of a connection, checked at load to be readable PEM.
     *
     * @param ca the authorities the broker's certificate must be signed by; empty for the JVM's
     * @param cert the client certificate's chain, with {@code key}; both or neither
     * @param verifyHostname whether the broker's certificate must name the host of the URL
     */
    public record Tls(Optional<Path> ca, Optional<Path> cert, Optional<Path> key, boolean verifyHostname) {
        public Tls {
            Objects.requireNonNull(ca, "ca");
            Objects.requireNonNull(cert, "cert");
            Objects.requireNonNull(key, "key");
            if (cert.isPresent() != key.isPresent()) {
                throw new IllegalArgumentException("a client certificate needs its key, and a key its certificate");
            }
        }
    }

    /** Where the broker is; {@code tls} for {@code ssl://}. */
    public record Address(boolean tls, String host, int port) {
        public Address {
            Objects.requireNonNull(host, "host");
        }

        @Override
        public String toString() {
            return (tls ? "ssl://" : "tcp://") + host + ":" + port;
        }
    }

    public MqttConnectionSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(sessionExpiry, "sessionExpiry");
        Objects.requireNonNull(keepAlive, "keepAlive");
        if (maxInFlight < 1 || maxInFlight > 65_535) {
            throw new IllegalArgumentException("maxInFlight must be 1-65535, was " + maxInFlight);
        }
        Objects.requireNonNull(publishTimeout, "publishTimeout");
        if (maxHops < 1) {
            throw new IllegalArgumentException("maxHops must be at least 1, was " + maxHops);
        }
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(version, "version");
        if (tls.isPresent() && !url.tls()) {
            throw new IllegalArgumentException("tls needs an ssl:// url, was " + url);
        }
    }

    /**
     * The client identifier of a connection without {@code client-id}: one per connection and host, so that two
     * instances on two hosts never take each other's session over.
     */
    static String defaultClientId(String connection) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException | SecurityException e) {
            host = "localhost";
        }
        return "tributary-" + connection + "-" + host.replaceAll("\\s", "");
    }
}
