package io.tributary.routes.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import io.tributary.bridge.config.HttpApiKeys;
import java.util.List;

/**
 * The bearer tokens the API accepts, each with the user it acts as under the broker's access rules. A presented
 * token is compared with every accepted one in constant time (on SHA-256 digests, so neither the tokens' lengths
 * nor the position of a first difference leak).
 */
final class BearerTokens {

    private static final String SCHEME = "bearer ";

    /** One accepted token: its digest and its user. */
    record Token(String token, String user) {
    }

    private record Accepted(byte[] digest, String user) {
    }

    private final List<Accepted> accepted;

    /** Tokens that all act as the user {@value HttpApiKeys#TOKENS_USER}. */
    BearerTokens(List<String> tokens) {
        this(tokens.stream().map(token -> new Token(token, HttpApiKeys.TOKENS_USER)).toList(), true);
    }

    BearerTokens(List<Token> tokens, boolean withUsers) {
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("the HTTP API needs at least one token");
        }
        this.accepted = tokens.stream().map(t -> new Accepted(digest(t.token()), t.user())).toList();
    }

    /** True when {@code authorization}, an {@code Authorization} header, is {@code Bearer} with an accepted token. */
    boolean accepts(String authorization) {
        return userOf(authorization) != null;
    }

    /** The user of the token in {@code authorization}, an {@code Authorization} header; null if not accepted. */
    String userOf(String authorization) {
        if (authorization == null || authorization.length() <= SCHEME.length()
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return null;
        }
        byte[] presented = digest(authorization.substring(SCHEME.length()).trim());
        String user = null;
        for (Accepted token : accepted) {
            // No early exit: every token is compared.
            if (MessageDigest.isEqual(token.digest(), presented)) {
                user = token.user();
            }
        }
        return user;
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
