package io.tributary.broker.transport;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.PemFiles;
import io.tributary.storage.FileStamp;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS context of one listener, rebuilt when its files change. {@link #checkForChanges()} runs on one
 * thread, periodically; {@link #current()} is read by the I/O threads as each connection is set up, so a
 * connection keeps the context it started with and only new ones get the renewed certificate. A file that
 * fails to load is logged and the previous context stays.
 */
final class ServerTls {
    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);

    private final String listener;
    private final ListenerConfig.Tls config;
    private volatile SslContext current;
    private List<FileStamp> stamps;

    private ServerTls(String listener, ListenerConfig.Tls config, SslContext first, List<FileStamp> stamps) {
        this.listener = listener;
        this.config = config;
        this.current = first;
        this.stamps = stamps;
    }

    /** Reads the files; fails with a message that names the file at fault. */
    static ServerTls load(String listener, ListenerConfig.Tls config) {
        List<FileStamp> stamps = FileStamp.of(files(config));
        return new ServerTls(listener, config, build(config), stamps);
    }

    /** The context new connections use. */
    SslContext current() {
        return current;
    }

    /** Rebuilds the context if a file changed since the last look; keeps the old one if the new files fail. */
    void checkForChanges() {
        List<FileStamp> now = FileStamp.of(files(config));
        if (now.equals(stamps)) {
            return;
        }
        stamps = now; // a bad file is reported once, not at every look
        try {
            current = build(config);
            log.info("listener {}: TLS files changed, new connections use the new certificate", listener);
        } catch (RuntimeException e) {
            log.error("listener {}: TLS files changed but cannot be used, keeping the previous ones: {}", listener,
                    e.getMessage());
        }
    }

    private static List<Path> files(ListenerConfig.Tls config) {
        List<Path> files = new ArrayList<>(List.of(config.certificateChain(), config.privateKey()));
        if (config.clientCa() != null) {
            files.add(config.clientCa());
        }
        return files;
    }

    private static SslContext build(ListenerConfig.Tls config) {
        PemFiles.KeyAndChain server = PemFiles.keyAndChain(config.certificateChain(), config.privateKey());
        SslContextBuilder builder = SslContextBuilder
                .forServer(server.key(), server.chain().toArray(new X509Certificate[0]))
                .sslProvider(SslProvider.JDK)
                .protocols(config.protocols());
        if (!config.cipherSuites().isEmpty()) {
            builder.ciphers(config.cipherSuites());
        }
        if (config.clientCa() != null) {
            builder.trustManager(PemFiles.certificates(config.clientCa()).toArray(new X509Certificate[0]));
        }
        builder.clientAuth(switch (config.clientAuth()) {
            case NONE -> ClientAuth.NONE;
            case OPTIONAL -> ClientAuth.OPTIONAL;
            case REQUIRED -> ClientAuth.REQUIRE;
        });
        try {
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot make a TLS context from " + config.certificateChain()
                    + " and " + config.privateKey() + ": " + Objects.requireNonNullElse(e.getMessage(), e.toString()), e);
        }
    }
}
