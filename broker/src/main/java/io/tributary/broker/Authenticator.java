package io.tributary.broker;

/**
 * Decides whether a CONNECT may open a session.
 *
 * <p>Deliberately synchronous, so that a plugin stays a plain method: the broker calls it on a small pool of
 * its own authentication threads, never on an I/O thread, so it may block briefly (hash a password, ask a
 * server with a timeout). CONNECTs beyond the pool's bounded queue are refused as busy without calling it.
 * It may be called from several threads at once. Plugins are found with {@link java.util.ServiceLoader} in the
 * jars of {@code broker.auth.plugins} and need a public no-argument constructor.
 */
@FunctionalInterface
public interface Authenticator {

    /**
     * @param client who is connecting
     * @param password the CONNECT password, or {@code null}; never log it
     * @return true to accept the connection; false refuses it with CONNACK 0x86 / 0x04 when the client gave a
     *     user name or password, 0x87 / 0x05 when it gave neither. An exception refuses it as "server
     *     unavailable" (0x88 / 0x03).
     */
    boolean authenticate(ClientInfo client, byte[] password);
}
