package io.tributary.connectors.mqtt;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a link needs to connect, apart from the configuration model so that this module stays independent of it.
 *
 * @param name the connection's name, for logs
 * @param password the password's bytes, read from its secret
 * @param sessionExpiry how long the broker keeps the session after a disconnect; zero for none
 * @param keepAlive zero for none
 * @param maxInFlight the Receive Maximum announced to the broker
 * @param connectTimeout for the TCP connect and for the CONNACK
 * @param reconnectMaxDelay the longest wait between two connect attempts, which start 100 ms apart and double
 * @param publishTimeout how long a publish may wait for its acknowledgement, also while the link is down
 * @param maxHops a message from the broker whose hop count is at least this is dropped
 * @param tls present for a broker reached over TLS
 * @param version the MQTT version spoken
 */
public record LinkSettings(String name, String host, int port, String clientId, Optional<String> username,
                           Optional<byte[]> password, Duration sessionExpiry, Duration keepAlive, int maxInFlight,
                           Duration connectTimeout, Duration reconnectMaxDelay, Duration publishTimeout,
                           int maxHops, Optional<LinkTls> tls, Version version) {

    /** The MQTT versions a link speaks. */
    public enum Version { MQTT_5, MQTT_3_1_1 }

    /** The first wait before a reconnect. */
    public static final Duration RECONNECT_INITIAL_DELAY = Duration.ofMillis(100);

    public LinkSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(sessionExpiry, "sessionExpiry");
        Objects.requireNonNull(keepAlive, "keepAlive");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(reconnectMaxDelay, "reconnectMaxDelay");
        Objects.requireNonNull(publishTimeout, "publishTimeout");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(version, "version");
    }
}
