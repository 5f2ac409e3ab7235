package io.tributary.broker;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;

/**
 * Reads the PEM files of {@link ListenerConfig.Tls} with the JDK alone, so that the configuration loader can
 * check them before any port opens and every TLS server (MQTT listeners, the HTTP API) reads them alike. Each
 * failure is an {@link IllegalArgumentException} whose message names the file and what is wrong with it.
 */
public final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");

    /** A private key with its certificate chain, read and checked to belong together. */
    public record KeyAndChain(PrivateKey key, List<X509Certificate> chain) {
        public KeyAndChain {
            chain = List.copyOf(chain);
        }

        /** A PKCS#12 key store holding the key and chain under {@code alias}, protected by {@code password}. */
        public KeyStore toKeyStore(String alias, char[] password) {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry(alias, key, password, chain.toArray(new X509Certificate[0]));
                return store;
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("cannot make a key store: " + e.getMessage(), e);
            }
        }

        /**
         * Key managers presenting the key and chain, as TLS libraries take them.
         *
         * @throws IllegalArgumentException when the JDK cannot use the key (an algorithm it does not support)
         */
        public KeyManagerFactory keyManagerFactory() {
            // Protects the in-memory key store only: it is never written anywhere.
            char[] password = "in-memory".toCharArray();
            try {
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                factory.init(toKeyStore("key", password), password);
                return factory;
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("cannot use the key and certificate: " + e.getMessage(), e);
            }
        }
    }

    private PemFiles() {
    }

    /** The key of {@code keyFile} and the chain of {@code certificateFile}, checked to match. */
    public static KeyAndChain keyAndChain(Path certificateFile, Path keyFile) {
        List<X509Certificate> chain = certificates(certificateFile);
        PrivateKey key = privateKey(keyFile);
        if (!matches(key, chain.get(0))) {
            throw new IllegalArgumentException("the key " + keyFile + " does not belong to the first certificate of "
                    + certificateFile);
        }
        return new KeyAndChain(key, chain);
    }

    /** The X.509 certificates of a PEM file, at least one. */
    public static List<X509Certificate> certificates(Path file) {
        String text = read(file);
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block block : blocks(text)) {
                if (block.type().equals("CERTIFICATE")) {
                    certificates.add((X509Certificate) factory.generateCertificate(
                            new ByteArrayInputStream(block.der(file))));
                }
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException("cannot read the certificate " + file + ": " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("no PEM certificate (-----BEGIN CERTIFICATE-----) in " + file);
        }
        return certificates;
    }

    /** The unencrypted PKCS#8 private key of a PEM file. */
    public static PrivateKey privateKey(Path file) {
        String text = read(file);
        for (Block block : blocks(text)) {
            if (block.type().equals("PRIVATE KEY")) {
                PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(block.der(file));
                for (String algorithm : KEY_ALGORITHMS) {
                    try {
                        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
                    } catch (GeneralSecurityException e) {
                        // not this algorithm: try the next
                    }
                }
                throw new IllegalArgumentException("cannot read the private key " + file
                        + ": not an RSA, EC or EdDSA key");
            }
            if (block.type().endsWith("PRIVATE KEY")) {
                throw new IllegalArgumentException("the private key " + file + " is " + block.type()
                        + "; convert it to unencrypted PKCS#8 (-----BEGIN PRIVATE KEY-----) with "
                        + "`openssl pkcs8 -topk8 -nocrypt -in OLD -out NEW`");
            }
        }
        throw new IllegalArgumentException("no PEM private key (-----BEGIN PRIVATE KEY-----) in " + file);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e, e);
        }
    }

    private record Block(String type, String base64) {
        byte[] der(Path file) {
            try {
                return Base64.getMimeDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad base64 in the " + type + " of " + file, e);
            }
        }
    }

    private static List<Block> blocks(String text) {
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(text);
        while (matcher.find()) {
            blocks.add(new Block(matcher.group(1), matcher.group(2)));
        }
        return blocks;
    }

    /** Whether {@code key} signs what the certificate's public key verifies. */
    private static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null;
        };
        if (algorithm == null) {
            return true; // a key type we cannot test here: the handshake will tell
        }
        try {
            byte[] probe = "tributary key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
