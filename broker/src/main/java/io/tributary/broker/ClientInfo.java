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
 * @param certificateIdentity the subject CN of the client's verified TLS certificate when the listener takes it
 *     as the username ({@code identity-as-username}): then {@code username} is this CN, the client is
 *     authenticated by its certificate and the {@link Authenticator} is not asked; otherwise {@code null}
 */
public record ClientInfo(String clientId, String username, InetSocketAddress remoteAddress, String listener,
                         int protocolVersion, String certificateIdentity) {

    /** A client that is not identified by a certificate. */
    public ClientInfo(String clientId, String username, InetSocketAddress remoteAddress, String listener,
                      int protocolVersion) {
        this(clientId, username, remoteAddress, listener, protocolVersion, null);
    }

    /** Whether the client was authenticated by its TLS certificate rather than by the {@link Authenticator}. */
    public boolean authenticatedByCertificate() {
        return certificateIdentity != null;
    }
}
