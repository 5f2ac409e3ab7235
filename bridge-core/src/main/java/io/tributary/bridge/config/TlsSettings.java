package io.tributary.bridge.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The certificate and key files that make a listener serve TLS.
 *
 * @param cert the PEM certificate chain, as an absolute path
 * @param key the PEM (PKCS#8) private key, as an absolute path
 */
public record TlsSettings(Path cert, Path key) {

    public TlsSettings {
        Objects.requireNonNull(cert, "cert");
        Objects.requireNonNull(key, "key");
    }
}
