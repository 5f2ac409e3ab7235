package io.tributary.testsupport.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.net.Socket;
import java.security.Principal;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made at test time: a certificate authority, server certificates for {@code 127.0.0.1} and
 * {@code localhost}, and client certificates whose subject CN names the client. Keys are EC P-256 (quick to
 * make, accepted by the JDK and by OpenSSL-based clients such as {@code mosquitto_pub}). Files are written as
 * PEM certificates and unencrypted PKCS#8 keys, the form Tributary's TLS settings take.
 */
public final class TestCertificates {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] PASSWORD = "test".toCharArray();

    private TestCertificates() {
    }

    /** A new self-signed certificate authority named {@code CN=commonName}. */
    public static Authority authority(String commonName) {
        KeyPair keys = newKeys();
        X500Name name = new X500Name("CN=" + commonName);
        X509Certificate certificate = sign(name, keys, name, keys.getPublic(), keys.getPrivate(), Role.AUTHORITY,
                null, Duration.ofDays(2));
        return new Authority(certificate, keys);
    }

    private enum Role { AUTHORITY, SERVER, CLIENT }

    /** A certificate authority: it issues server and client certificates. */
    public static final class Authority {
        private final X509Certificate certificate;
        private final KeyPair keys;

        private Authority(X509Certificate certificate, KeyPair keys) {
            this.certificate = certificate;
            this.keys = keys;
        }

        public X509Certificate certificate() {
            return certificate;
        }

        /** A server certificate for {@code 127.0.0.1} and {@code localhost}, named {@code CN=commonName}. */
        public Issued server(String commonName) {
            return issue(commonName, Role.SERVER, Duration.ofDays(1));
        }

        /** A client certificate named {@code CN=commonName}. */
        public Issued client(String commonName) {
            return issue(commonName, Role.CLIENT, Duration.ofDays(1));
        }

        /** A client certificate named by a whole distinguished name, such as {@code CN=a,O=b}. */
        public Issued clientWithSubject(String distinguishedName) {
            KeyPair subject = newKeys();
            return new Issued(sign(new X500Name(distinguishedName), subject, issuerName(), keys.getPublic(),
                    keys.getPrivate(), Role.CLIENT, null, Duration.ofDays(1)), subject.getPrivate(), this);
        }

        private Issued issue(String commonName, Role role, Duration validity) {
            KeyPair subject = newKeys();
            X509Certificate issued = sign(new X500Name("CN=" + commonName), subject, issuerName(),
                    keys.getPublic(), keys.getPrivate(), role, certificate, validity);
            return new Issued(issued, subject.getPrivate(), this);
        }

        private X500Name issuerName() {
            return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        }

        /** Writes the authority's certificate as PEM to {@code file}, for {@code client-ca} or {@code --cafile}. */
        public Path writeCertificate(Path file) {
            return write(file, pem("CERTIFICATE", encoded(certificate)));
        }

        /** Trusts exactly this authority. */
        public TrustManagerFactory trustManagerFactory() {
            try {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                trust.setCertificateEntry("ca", certificate);
                TrustManagerFactory factory =
                        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(trust);
                return factory;
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * A certificate and its private key, issued by {@code authority}.
     *
     * @param certificate the certificate
     * @param key its private key
     * @param authority who signed it
     */
    public record Issued(X509Certificate certificate, PrivateKey key, Authority authority) {

        /** The PEM certificate file and PKCS#8 key file of an issued certificate. */
        public record Written(Path certificate, Path key) {
        }

        /** Writes {@code dir/name.crt} and {@code dir/name.key}. */
        public Written write(Path dir, String name) {
            return new Written(writeCertificate(dir.resolve(name + ".crt")), writeKey(dir.resolve(name + ".key")));
        }

        /** Writes the certificate as PEM to {@code file}. */
        public Path writeCertificate(Path file) {
            return TestCertificates.write(file, pem("CERTIFICATE", encoded(certificate)));
        }

        /** Writes the key as unencrypted PKCS#8 PEM to {@code file}. */
        public Path writeKey(Path file) {
            return TestCertificates.write(file, pem("PRIVATE KEY", key.getEncoded()));
        }

        /**
         * Presents this certificate to any server, even one that names other authorities; see
         * {@link TestCertificates#presentingAlways}.
         */
        public KeyManagerFactory keyManagerFactoryForAnyServer() {
            return presentingAlways(this);
        }

        /** Presents this certificate in a handshake, to servers that accept its authority. */
        public KeyManagerFactory keyManagerFactory() {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("key", key, PASSWORD, new X509Certificate[] {certificate});
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                factory.init(store, PASSWORD);
                return factory;
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * A key manager that presents {@code issued} to any server. The JDK's own one presents a certificate only
     * when its issuer is among those the server names, so without this a certificate of a foreign authority
     * would never reach the server, and a test of its refusal would prove nothing.
     */
    static KeyManagerFactory presentingAlways(Issued issued) {
        X509ExtendedKeyManager always = new X509ExtendedKeyManager() {
            @Override
            public String[] getClientAliases(String keyType, Principal[] issuers) {
                return new String[] {"key"};
            }

            @Override
            public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
                return "key";
            }

            @Override
            public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
                return "key";
            }

            @Override
            public String[] getServerAliases(String keyType, Principal[] issuers) {
                return null;
            }

            @Override
            public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                return null;
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
                return new X509Certificate[] {issued.certificate()};
            }

            @Override
            public PrivateKey getPrivateKey(String alias) {
                return issued.key();
            }
        };
        KeyManagerFactorySpi spi = new KeyManagerFactorySpi() {
            @Override
            protected void engineInit(KeyStore keyStore, char[] password) {
            }

            @Override
            protected void engineInit(ManagerFactoryParameters parameters) {
            }

            @Override
            protected KeyManager[] engineGetKeyManagers() {
                return new KeyManager[] {always};
            }
        };
        return new KeyManagerFactory(spi, null, "presenting-always") {
        };
    }

    private static KeyPair newKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(X500Name subject, KeyPair subjectKeys, X500Name issuer,
                                        java.security.PublicKey issuerPublic, PrivateKey issuerKey, Role role,
                                        X509Certificate issuerCertificate, Duration validity) {
        Instant now = Instant.now();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    new BigInteger(64, RANDOM).add(BigInteger.ONE), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(validity)), subject, subjectKeys.getPublic())
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(subjectKeys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            issuerCertificate == null ? extensions.createAuthorityKeyIdentifier(issuerPublic)
                                    : extensions.createAuthorityKeyIdentifier(issuerCertificate));
            switch (role) {
                case AUTHORITY -> builder
                        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                        .addExtension(Extension.keyUsage, true,
                                new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
                case SERVER -> builder
                        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                        .addExtension(Extension.extendedKeyUsage, false,
                                new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                        .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                                new GeneralName(GeneralName.dNSName, "localhost")}));
                case CLIENT -> builder
                        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                        .addExtension(Extension.extendedKeyUsage, false,
                                new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
        } catch (CertIOException | OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a certificate for " + subject, e);
        }
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static Path write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.US_ASCII);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
