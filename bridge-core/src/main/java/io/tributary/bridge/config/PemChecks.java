package io.tributary.bridge.config;

import io.tributary.broker.PemFiles;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reads the PEM files of a {@code tls} mapping once while the configuration is loaded, so that a certificate
 * or key that cannot be used is a configuration error, naming the file, before any port opens.
 */
final class PemChecks {
    private PemChecks() {
    }

    /** Checks that the certificate chain and key are PEM and belong together; reported at the key at fault. */
    static void keyAndChain(SectionValues tls, Optional<Path> cert, Optional<Path> key) {
        keyAndChain(tls, BrokerKeys.TLS_CERT, cert, BrokerKeys.TLS_KEY, key);
    }

    /** As {@link #keyAndChain(SectionValues, Optional, Optional)}, for a section whose keys are {@code certKey}
     * and {@code keyKey}. */
    static void keyAndChain(SectionValues tls, ConfigKey<Path> certKey, Optional<Path> cert, ConfigKey<Path> keyKey,
                            Optional<Path> key) {
        if (cert.isEmpty() || key.isEmpty()) {
            return; // a missing file is reported already
        }
        boolean readable = read(tls, certKey, () -> PemFiles.certificates(cert.get()))
                & read(tls, keyKey, () -> PemFiles.privateKey(key.get()));
        if (readable) {
            read(tls, keyKey, () -> PemFiles.keyAndChain(cert.get(), key.get()));
        }
    }

    /** Checks that {@code file} holds PEM certificates; reported at {@code key} otherwise. */
    static void certificates(SectionValues tls, ConfigKey<Path> key, Path file) {
        read(tls, key, () -> PemFiles.certificates(file));
    }

    /**
     * The files of {@code http-api.tls}, checked as a listener's are; empty when the key is absent or invalid
     * (reported).
     */
    static Optional<HttpApiSettings.Tls> httpApiTls(YamlNodeReader reader, FileValues files, SectionValues api) {
        return api.node(HttpApiKeys.API_TLS).flatMap(node -> reader.section(node, api.pathOf(HttpApiKeys.API_TLS),
                HttpApiKeys.TLS, tls -> {
                    Optional<Path> cert = files.existing(tls, BrokerKeys.TLS_CERT);
                    Optional<Path> key = files.existing(tls, BrokerKeys.TLS_KEY);
                    keyAndChain(tls, cert, key);
                    return () -> new HttpApiSettings.Tls(cert.orElseThrow(), key.orElseThrow());
                }));
    }

    private static boolean read(SectionValues tls, ConfigKey<Path> key, Supplier<?> read) {
        try {
            read.get();
            return true;
        } catch (IllegalArgumentException e) {
            tls.report(key, e.getMessage());
            return false;
        }
    }
}
