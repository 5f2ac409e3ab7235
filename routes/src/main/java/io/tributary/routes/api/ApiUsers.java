package io.tributary.routes.api;

import io.tributary.broker.InProcessBroker;
import io.tributary.broker.Permissions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the user of a request's token may do under the broker's access rules: the same rules that govern MQTT
 * clients govern what a token may publish, read and stream. One {@link Permissions} per configured user, so that
 * its decisions are remembered across requests.
 */
final class ApiUsers {
    private final BearerTokens tokens;
    private final InProcessBroker broker;
    /** Bounded by the configured users: only accepted tokens' users get here. */
    private final Map<String, Permissions> byUser = new ConcurrentHashMap<>();

    ApiUsers(BearerTokens tokens, InProcessBroker broker) {
        this.tokens = tokens;
        this.broker = broker;
    }

    /** The user of the token in {@code authorization}. */
    String userOf(String authorization) {
        String user = tokens.userOf(authorization);
        if (user == null) {
            throw new ApiException(401, "the bearer token is not accepted");
        }
        return user;
    }

    /** The access of the token in {@code authorization}, a request's {@code Authorization} header. */
    Permissions of(String authorization) {
        String user = tokens.userOf(authorization);
        if (user == null) {
            // Authentication ran before any handler; a request that gets here without a token is public.
            throw new ApiException(401, "the bearer token is not accepted");
        }
        return byUser.computeIfAbsent(user, broker::accessOf);
    }
}
