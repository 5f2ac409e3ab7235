package io.tributary.connectors.mqtt;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientSslConfigBuilder;
import io.tributary.broker.PemFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS to an external broker, from PEM files read as the built-in broker's listeners read theirs ({@link PemFiles}):
 * the authorities the broker's certificate must come from (the JVM's when none are given), and a client certificate
 * for a broker that asks for one. The broker's certificate must name the host connected to unless
 * {@code verifyHostname} is off.
 *
 * @param ca PEM certificates of the trusted authorities; empty for the JVM's
 * @param cert PEM client certificate chain, leaf first; with {@code key}
 * @param key its unencrypted PKCS#8 private key
 */
public record LinkTls(Optional<Path> ca, Optional<Path> cert, Optional<Path> key, boolean verifyHostname) {

    public LinkTls {
        Objects.requireNonNull(ca, "ca");
        Objects.requireNonNull(cert, "cert");
        Objects.requireNonNull(key, "key");
        if (cert.isPresent() != key.isPresent()) {
            throw new IllegalArgumentException("a client certificate needs its key, and a key its certificate");
        }
    }

    /**
     * The client's TLS settings, with the files read now.
     *
     * @throws IllegalArgumentException naming the file when one cannot be read or the key is not the certificate's
     */
    MqttClientSslConfig sslConfig() {
        MqttClientSslConfigBuilder builder = MqttClientSslConfig.builder();
        if (ca.isPresent()) {
            builder = builder.trustManagerFactory(trusting(PemFiles.certificates(ca.get())));
        }
        if (cert.isPresent()) {
            PemFiles.KeyAndChain client = PemFiles.keyAndChain(cert.get(), key.orElseThrow());
            builder = builder.keyManagerFactory(client.keyManagerFactory());
        }
        if (!verifyHostname) {
            // Without a verifier of its own the client checks the host name as HTTPS does.
            builder = builder.hostnameVerifier((host, session) -> true);
        }
        return builder.build();
    }

    private static TrustManagerFactory trusting(List<X509Certificate> authorities) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < authorities.size(); i++) {
                store.setCertificateEntry("ca-" + i, authorities.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a trust store: " + e.getMessage(), e);
        }
    }
}
