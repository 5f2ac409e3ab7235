package io.tributary.broker;

/** Decides whether a CONNECT may open a session. */
@FunctionalInterface
public interface Authenticator {

    /**
     * @param client who is connecting
     * @param password the CONNECT password, or {@code null}; never log it
     * @return true to accept the connection
     */
    boolean authenticate(ClientInfo client, byte[] password);
}
