package io.tributary.broker;

import java.nio.file.Path;
import java.util.List;

/**
 * Who may connect, as the configuration file's {@code broker.auth} section is read into.
 *
 * <p>With neither a password file nor plugins ({@link #NONE}), the broker keeps its default: clients on a
 * loopback address, and any client on a listener that allows anonymous ones. Once either is set, every client
 * must authenticate, loopback ones included, except a client without a user name on a listener that allows
 * anonymous ones.
 *
 * @param passwordFile a password file in the format of Mosquitto's {@code mosquitto_passwd}, re-read when it
 *     changes; {@code null} for none
 * @param plugins jar files searched with {@link java.util.ServiceLoader} for an {@code Authenticator} (and an
 *     {@code Authorizer}); a plugin authenticator is used instead of the password file, so not both
 */
public record AuthConfig(Path passwordFile, List<Path> plugins) {

    /** No {@code broker.auth}: the default authentication. */
    public static final AuthConfig NONE = new AuthConfig(null, List.of());

    public AuthConfig {
        plugins = plugins == null ? List.of() : List.copyOf(plugins);
    }

    /** True when clients authenticate against a password file or a plugin rather than by their address. */
    public boolean configured() {
        return passwordFile != null || !plugins.isEmpty();
    }
}
