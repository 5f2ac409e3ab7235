package io.tributary.broker;

/**
 * A client connected now, as an operator sees it (the HTTP API's client list and the console).
 *
 * @param clientId the MQTT client identifier
 * @param address the peer's address ({@code host:port}), or null when the connection has none
 * @param listener the name of the listener it connected to, or null
 * @param protocolVersion 4 for MQTT 3.1.1, 5 for MQTT 5.0
 * @param username the CONNECT user name, or null (anonymous)
 * @param subscriptions how many subscriptions its session has
 * @param queued messages waiting in its session's queue
 * @param inFlight QoS 1/2 messages sent to it and not yet acknowledged
 */
public record ConnectedClient(String clientId, String address, String listener, int protocolVersion,
                              String username, int subscriptions, int queued, int inFlight) {
}
