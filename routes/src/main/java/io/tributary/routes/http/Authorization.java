package io.tributary.routes.http;

import io.tributary.bridge.config.HttpAuth;
import io.tributary.bridge.config.Secret;
import io.tributary.routes.spi.PartStartException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The {@code Authorization} header value of a webhook, from secrets read once when its route is built. It
 * lives only in the requests the sink builds: never in an exchange header (which Camel may log) and never in
 * a message or {@code toString}.
 */
final class Authorization {

    private final String value;

    private Authorization(String value) {
        this.value = value;
    }

    /**
     * Reads the secret of {@code auth} now.
     *
     * @throws PartStartException naming where the secret should have come from when it cannot be read
     */
    static Authorization read(HttpAuth auth, Map<String, String> environment) {
        if (auth instanceof HttpAuth.Bearer bearer) {
            return new Authorization("Bearer " + read(bearer.token(), "bearer token", environment));
        }
        HttpAuth.Basic basic = (HttpAuth.Basic) auth;
        String password = read(basic.password(), "basic auth password", environment);
        String credentials = basic.username() + ":" + password;
        return new Authorization("Basic "
                + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }

    private static String read(Secret secret, String what, Map<String, String> environment) {
        try {
            return secret.read(environment);
        } catch (IllegalStateException e) {
            // Secret's messages name the variable or file, never a value.
            throw new PartStartException("the webhook's " + what + " cannot be read: " + e.getMessage(), null);
        }
    }

    /** The header value. */
    String value() {
        return value;
    }

    @Override
    public String toString() {
        return "Authorization(hidden)";
    }
}
