package io.tributary.broker.testsupport;

import io.tributary.broker.ListenerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for 127.0.0.1/localhost made at test time with the JDK's {@code keytool}
 * (Netty's {@code SelfSignedCertificate} needs BouncyCastle or {@code --add-exports} on JDK 17), written
 * as the PEM certificate and PKCS#8 key files a TLS listener takes.
 */
public final class SelfSignedTls {
    private static final char[] PASSWORD = "changeit".toCharArray();

    private final Certificate certificate;
    private final ListenerConfig.Tls files;

    private SelfSignedTls(Certificate certificate, ListenerConfig.Tls files) {
        this.certificate = certificate;
        this.files = files;
    }

    /** Generates the key pair and certificate into {@code dir}. */
    public static SelfSignedTls generate(Path dir) throws Exception {
        Path store = dir.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "broker", "-keyalg", "EC",
                "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, PASSWORD);
        }
        PrivateKey key = (PrivateKey) keyStore.getKey("broker", PASSWORD);
        Certificate certificate = keyStore.getCertificate("broker");
        Path certFile = dir.resolve("server.crt");
        Path keyFile = dir.resolve("server.key");
        Files.writeString(certFile, pem("CERTIFICATE", certificate.getEncoded()));
        Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded())); // getEncoded() is PKCS#8
        return new SelfSignedTls(certificate, new ListenerConfig.Tls(certFile, keyFile));
    }

    private static String pem(String type, byte[] der) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    /** The files for {@link ListenerConfig#withTls}. */
    public ListenerConfig.Tls files() {
        return files;
    }

    /** Trusts exactly this certificate. */
    public TrustManagerFactory trustManagerFactory() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("broker", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        return factory;
    }
}
