package io.tributary.bridge.config;

import static io.tributary.bridge.config.ConnectionsSectionTest.at;
import static io.tributary.bridge.config.ConnectionsSectionTest.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.ListenerConfig;
import io.tributary.broker.ListenerConfig.ClientAuth;
import io.tributary.testsupport.tls.TestCertificates;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code tls} mapping of a listener and of the HTTP API, with PEM files made in the test. */
class TlsSectionTest {

    @TempDir
    Path folder;

    private ConfigFiles files;

    @BeforeEach
    void setUp() {
        files = new ConfigFiles(folder);
        TestCertificates.Authority ca = TestCertificates.authority("CA");
        ca.server("localhost").write(folder, "server");
        ca.writeCertificate(folder.resolve("ca.crt"));
    }

    private ListenerConfig.Tls listenerTls(String tls) throws ConfigException {
        return files.load("broker: { listeners: [ { port: 8883, tls: " + tls + " } ] }")
                .broker().listeners().get(0).tls();
    }

    private ConfigError listenerError(String tls) {
        return only(files.errors("broker: { listeners: [ { port: 8883, tls: " + tls + " } ] }"));
    }

    @Test
    void certificateAndKeyAloneServeTls12And13WithoutClientCertificates() throws ConfigException {
        ListenerConfig.Tls tls = listenerTls("{ cert: server.crt, key: server.key }");

        assertEquals(folder.resolve("server.crt"), tls.certificateChain());
        assertNull(tls.clientCa());
        assertEquals(ClientAuth.NONE, tls.clientAuth());
        assertFalse(tls.identityAsUsername());
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), tls.protocols());
        assertEquals(List.of(), tls.cipherSuites());
    }

    @Test
    void aClientCaRequiresClientCertificatesUnlessToldOtherwise() throws ConfigException {
        assertEquals(ClientAuth.REQUIRED, listenerTls("{ cert: server.crt, key: server.key, client-ca: ca.crt }")
                .clientAuth());
        assertEquals(ClientAuth.OPTIONAL, listenerTls(
                "{ cert: server.crt, key: server.key, client-ca: ca.crt, client-auth: optional }").clientAuth());
    }

    @Test
    void everyKeyIsRead() throws ConfigException {
        ListenerConfig.Tls tls = listenerTls("""
                { cert: server.crt, key: server.key, client-ca: ca.crt, client-auth: required,
                  identity-as-username: true, protocols: [ TLSv1.3 ], cipher-suites: [ TLS_AES_128_GCM_SHA256 ] }""");

        assertEquals(folder.resolve("ca.crt"), tls.clientCa());
        assertEquals(ClientAuth.REQUIRED, tls.clientAuth());
        assertTrue(tls.identityAsUsername());
        assertEquals(List.of("TLSv1.3"), tls.protocols());
        assertEquals(List.of("TLS_AES_128_GCM_SHA256"), tls.cipherSuites());
    }

    @Test
    void clientAuthWithoutClientCaIsAnError() {
        ConfigError error = listenerError("{ cert: server.crt, key: server.key, client-auth: required }");

        assertEquals("broker.listeners[0].tls.client-auth", error.path());
        assertEquals("client-auth required needs client-ca, the PEM file of the authorities that sign client "
                + "certificates", error.message());
    }

    @Test
    void identityAsUsernameWithoutClientCaOrWithClientAuthNoneIsAnError() {
        assertEquals("identity-as-username needs client-ca, the PEM file of the authorities that sign client "
                + "certificates", listenerError("{ cert: server.crt, key: server.key, identity-as-username: true }")
                .message());
        ConfigError none = listenerError("""
                { cert: server.crt, key: server.key, client-ca: ca.crt, client-auth: none,
                  identity-as-username: true }""");
        assertEquals("broker.listeners[0].tls.identity-as-username", none.path());
        assertEquals("identity-as-username needs client-auth optional or required, not none", none.message());
    }

    @Test
    void aFileThatIsNoPemCertificateIsAnErrorNamingIt() {
        files.write("garbage.crt", "not a certificate");

        ConfigError error = listenerError("{ cert: garbage.crt, key: server.key }");

        assertEquals("broker.listeners[0].tls.cert", error.path());
        assertEquals("no PEM certificate (-----BEGIN CERTIFICATE-----) in " + folder.resolve("garbage.crt"),
                error.message());
    }

    @Test
    void aKeyInAnotherFormatIsAnErrorThatSaysHowToConvertIt() {
        files.write("old.key", "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");

        ConfigError error = listenerError("{ cert: server.crt, key: old.key }");

        assertEquals("broker.listeners[0].tls.key", error.path());
        assertEquals("the private key " + folder.resolve("old.key") + " is RSA PRIVATE KEY; convert it to "
                + "unencrypted PKCS#8 (-----BEGIN PRIVATE KEY-----) with "
                + "`openssl pkcs8 -topk8 -nocrypt -in OLD -out NEW`", error.message());
    }

    @Test
    void aKeyOfAnotherCertificateIsAnError() {
        TestCertificates.authority("Other").server("localhost").writeKey(folder.resolve("other.key"));

        ConfigError error = listenerError("{ cert: server.crt, key: other.key }");

        assertEquals("the key " + folder.resolve("other.key") + " does not belong to the first certificate of "
                + folder.resolve("server.crt"), error.message());
    }

    @Test
    void aClientCaThatIsNoPemCertificateIsAnError() {
        files.write("ca.txt", "nothing");

        ConfigError error = listenerError("{ cert: server.crt, key: server.key, client-ca: ca.txt }");

        assertEquals("broker.listeners[0].tls.client-ca", error.path());
        assertTrue(error.message().contains(folder.resolve("ca.txt").toString()), error.message());
    }

    @Test
    void anUnknownProtocolOrCipherSuiteIsAnErrorWithASuggestion() {
        ConfigError protocol = listenerError("{ cert: server.crt, key: server.key, protocols: [ TLSv13 ] }");
        assertEquals("broker.listeners[0].tls.protocols[0]", protocol.path());
        assertTrue(protocol.message().startsWith("unknown TLS protocol 'TLSv13' (did you mean 'TLSv1.3'?)"),
                protocol.message());

        ConfigError suite = listenerError("{ cert: server.crt, key: server.key, cipher-suites: [ RC4_FOREVER ] }");
        assertEquals("broker.listeners[0].tls.cipher-suites[0]", suite.path());
        assertTrue(suite.message().startsWith("unknown cipher suite 'RC4_FOREVER'"), suite.message());
    }

    @Test
    void theHttpApiServesTlsWithTheSameKeys() throws ConfigException {
        HttpApiSettings api = files.load("""
                http-api:
                  tokens: [ { env: T } ]
                  tls: { cert: server.crt, key: server.key }
                """).httpApi().orElseThrow();

        assertEquals(new HttpApiSettings.Tls(folder.resolve("server.crt"), folder.resolve("server.key")), api.tls());
    }

    @Test
    void theHttpApisTlsFilesAreCheckedToo() {
        files.write("garbage.key", "not a key");

        ConfigError error = only(files.errors("""
                http-api:
                  tokens: [ { env: T } ]
                  tls: { cert: server.crt, key: garbage.key }
                """));

        assertEquals("3:33: http-api.tls.key: no PEM private key (-----BEGIN PRIVATE KEY-----) in "
                + folder.resolve("garbage.key"), at(error));
    }
}
