package io.tributary.routes.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The bearer tokens the API accepts. A presented token is compared with every accepted one in constant time
 * (on SHA-256 digests, so neither the tokens' lengths nor the position of a first difference leak).
 */
final class BearerTokens {

    private static final String SCHEME = "bearer ";

    private final List<byte[]> digests;

    BearerTokens(List<String> tokens) {
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("the HTTP API needs at least one token");
        }
        this.digests = tokens.stream().map(BearerTokens::digest).toList();
    }

    /** True when {@code authorization}, an {@code Authorization} header, is {@code Bearer} with an accepted token. */
    boolean accepts(String authorization) {
        if (authorization == null || authorization.length() <= SCHEME.length()
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        byte[] presented = digest(authorization.substring(SCHEME.length()).trim());
        boolean accepted = false;
        for (byte[] token : digests) {
            // No early exit: every token is compared.
            accepted |= MessageDigest.isEqual(token, presented);
        }
        return accepted;
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
