package io.tributary.broker.auth;

import io.tributary.broker.Authenticator;
import io.tributary.broker.ClientInfo;
import java.util.Set;

/**
 * The rule once {@code broker.auth} is configured: a client that gives neither user name nor password connects
 * anonymously only on a listener that allows it (whatever its address, loopback included); every other client
 * is decided by the configured authenticator (password file or plugin).
 */
final class ConfiguredAuthenticator implements Authenticator {
    private final Set<String> anonymousListeners;
    private final Authenticator delegate;

    ConfiguredAuthenticator(Set<String> anonymousListeners, Authenticator delegate) {
        this.anonymousListeners = Set.copyOf(anonymousListeners);
        this.delegate = delegate;
    }

    @Override
    public boolean authenticate(ClientInfo client, byte[] password) {
        if (client.username() == null && password == null) {
            return anonymousListeners.contains(client.listener());
        }
        return delegate.authenticate(client, password);
    }
}
