package io.tributary.bridge.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
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
 */
public record MqttConnectionSettings(String name, Address url, String clientId, Optional<String> username,
                                     Optional<Secret> password, Duration sessionExpiry, Duration keepAlive,
                                     int maxInFlight, Duration publishTimeout, int maxHops) {

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
