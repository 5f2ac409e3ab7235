package io.tributary.broker.server;

import io.tributary.broker.Authenticator;
import io.tributary.broker.ClientInfo;
import java.util.Set;

/**
 * The default {@link Authenticator}: lets in clients on a loopback address, and anyone on a listener that
 * was configured to allow anonymous clients by name (the secure default of Mosquitto 2).
 */
final class LoopbackAuthenticator implements Authenticator {
    private final Set<String> anonymousListeners;

    LoopbackAuthenticator(Set<String> anonymousListeners) {
        this.anonymousListeners = Set.copyOf(anonymousListeners);
    }

    @Override
    public boolean authenticate(ClientInfo client, byte[] password) {
        if (anonymousListeners.contains(client.listener())) {
            return true;
        }
        return client.remoteAddress() != null && client.remoteAddress().getAddress() != null
                && client.remoteAddress().getAddress().isLoopbackAddress();
    }
}
