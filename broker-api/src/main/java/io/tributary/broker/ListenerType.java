package io.tributary.broker;

/** How a listener carries MQTT, plain TCP or WebSocket, for both {@code Broker.builder()} and the YAML. */
public enum ListenerType {
    /** MQTT over TCP, port 1883 by default. */
    TCP(1883),
    /** MQTT over WebSocket, port 8083 by default. */
    WEBSOCKET(8083);

    private final int defaultPort;

    ListenerType(int defaultPort) {
        this.defaultPort = defaultPort;
    }

    /** The port a listener of this type binds when none is given. */
    public int defaultPort() {
        return defaultPort;
    }
}
