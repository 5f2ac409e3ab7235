package io.tributary.routes.api;

import io.tributary.bridge.config.HttpApiSettings;
import io.tributary.broker.PemFiles;
import io.tributary.storage.FileStamp;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.SSLOptions;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTPS for the API from the same PEM files as a broker listener's {@code cert} and {@code key}. The Camel
 * server takes its key through {@link SSLContextParameters}, which know key stores rather than PEM, so the
 * files are read into an in-memory key store. A renewed certificate is put in place with Vert.x's
 * {@link HttpServer#updateSSLOptions}: new connections use it, open ones keep theirs. The files are looked at
 * once a second on a worker thread; files that cannot be used are logged and the previous ones stay.
 */
final class ApiTls {
    private static final Logger LOG = LoggerFactory.getLogger(ApiTls.class);
    private static final long CHECK_MILLIS = 1000;
    private static final String ALIAS = "api";

    private final HttpApiSettings.Tls files;
    private final char[] password;
    private List<FileStamp> stamps;

    private ApiTls(HttpApiSettings.Tls files) {
        this.files = files;
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        // Protects the in-memory key store only: it is never written anywhere.
        this.password = Base64.getEncoder().encodeToString(random).toCharArray();
        this.stamps = stamps(files);
    }

    static ApiTls of(HttpApiSettings.Tls files) {
        return new ApiTls(files);
    }

    /** What the Camel server starts with; fails naming the file that cannot be read. */
    SSLContextParameters contextParameters() {
        KeyStoreParameters store = new KeyStoreParameters();
        store.setKeyStore(keyStore());
        KeyManagersParameters keys = new KeyManagersParameters();
        keys.setKeyStore(store);
        keys.setKeyPassword(new String(password));
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setKeyManagers(keys);
        return parameters;
    }

    /** Looks for renewed files from now on, until {@code vertx} closes. */
    void watch(Vertx vertx, Supplier<HttpServer> server) {
        vertx.setPeriodic(CHECK_MILLIS, id -> vertx.executeBlocking(() -> {
            checkForChanges(server.get());
            return null;
        }, false));
    }

    private void checkForChanges(HttpServer server) {
        List<FileStamp> now = stamps(files);
        if (now.equals(stamps) || server == null) {
            return;
        }
        stamps = now; // a bad file is reported once, not every second
        try {
            KeyManagerFactory factory = PemFiles.keyAndChain(files.certificateChain(), files.privateKey())
                    .keyManagerFactory();
            server.updateSSLOptions(new SSLOptions().setKeyCertOptions(KeyCertOptions.wrap(factory)))
                    .onSuccess(updated -> LOG.info("HTTP API: TLS files changed, new connections use the new "
                            + "certificate"))
                    .onFailure(e -> LOG.error("HTTP API: the renewed TLS files cannot be used: {}", e.toString()));
        } catch (IllegalArgumentException e) {
            LOG.error("HTTP API: TLS files changed but cannot be used, keeping the previous ones: {}",
                    e.getMessage());
        }
    }

    private KeyStore keyStore() {
        return PemFiles.keyAndChain(files.certificateChain(), files.privateKey()).toKeyStore(ALIAS, password);
    }

    private static List<FileStamp> stamps(HttpApiSettings.Tls files) {
        return FileStamp.of(List.of(files.certificateChain(), files.privateKey()));
    }
}
