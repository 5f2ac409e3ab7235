package io.tributary.broker;

import java.net.InetSocketAddress;

/**
 * Who a connection is: what authentication and authorization decide on.
 *
 * @param clientId the MQTT client identifier (server-assigned when the client sent none)
 * @param username the CONNECT user name, or {@code null}
 * @param remoteAddress the peer's address
 * @param listener the name of the listener the client connected to
 * @param protocolVersion 4 for MQTT 3.1.1, 5 for MQTT 5.0
 */
public record ClientInfo(String clientId, String username, InetSocketAddress remoteAddress, String listener,
                         int protocolVersion) {
}
