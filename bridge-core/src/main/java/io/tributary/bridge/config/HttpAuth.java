package io.tributary.bridge.config;

import java.util.Objects;

/** Credentials a webhook sends with every request. Their values never appear in the configuration itself. */
public sealed interface HttpAuth {

    /** {@code Authorization: Bearer TOKEN}. */
    record Bearer(Secret token) implements HttpAuth {
        public Bearer {
            Objects.requireNonNull(token, "token");
        }
    }

    /** {@code Authorization: Basic ...} from a user name and a password. */
    record Basic(String username, Secret password) implements HttpAuth {
        public Basic {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }
    }
}
