package io.tributary.broker.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientSslConfigBuilder;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.tributary.broker.Authorizer;
import io.tributary.broker.ClientInfo;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.ListenerConfig.ClientAuth;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.testsupport.tls.TestCertificates;
import io.tributary.testsupport.tls.TestCertificates.Authority;
import io.tributary.testsupport.tls.TestCertificates.Issued;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client certificates on a TLS listener, with the HiveMQ client presenting certificates made in the test: a
 * required certificate, an optional one, a certificate from another authority, and the certificate's CN taken
 * as the username.
 */
class ClientCertificateTest {
    @TempDir
    static Path dir;
    static Authority ca;
    static Authority otherCa;
    static ListenerConfig.Tls serverFiles;
    static Path caFile;

    @BeforeAll
    static void makeCertificates() {
        ca = TestCertificates.authority("Test CA");
        otherCa = TestCertificates.authority("Other CA");
        Issued.Written server = ca.server("localhost").write(dir, "server");
        serverFiles = new ListenerConfig.Tls(server.certificate(), server.key());
        caFile = ca.writeCertificate(dir.resolve("ca.crt"));
    }

    /** Records who each publisher was, as the authorizer saw it; allows everything. */
    static final class RecordingAuthorizer implements Authorizer {
        final Map<String, ClientInfo> publishers = new ConcurrentHashMap<>();

        @Override
        public boolean mayPublish(ClientInfo client, String topic) {
            publishers.put(client.clientId(), client);
            return true;
        }

        @Override
        public boolean maySubscribe(ClientInfo client, String filter) {
            return true;
        }
    }

    private static RunningBroker broker(ListenerConfig.Tls tls) {
        return broker(tls, new RecordingAuthorizer());
    }

    private static RunningBroker broker(ListenerConfig.Tls tls, Authorizer authorizer) {
        // The authenticator refuses everyone: a client that gets in on the TLS listener got in by its certificate
        // or, on a listener without identity-as-username, not at all.
        return RunningBroker.start(c -> c.listener(ListenerConfig.tcp("127.0.0.1", 0).named("tls").withTls(tls)),
                b -> b.authorizer(authorizer).authenticator((client, password) -> !client.listener().equals("tls")
                        || client.clientId().startsWith("password-ok")));
    }

    private static Mqtt5BlockingClient v5(RunningBroker broker, String id,
                                          UnaryOperator<MqttClientSslConfigBuilder> ssl) {
        return MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(broker.broker().boundPort("tls"))
                .sslConfig(ssl.apply(MqttClientSslConfig.builder()).build())
                .buildBlocking();
    }

    private static UnaryOperator<MqttClientSslConfigBuilder> presenting(Issued certificate) {
        return ssl -> ssl.trustManagerFactory(ca.trustManagerFactory())
                .keyManagerFactory(certificate.keyManagerFactory());
    }

    /** Presents the certificate even to a server that names other authorities. */
    private static UnaryOperator<MqttClientSslConfigBuilder> forcing(Issued certificate) {
        return ssl -> ssl.trustManagerFactory(ca.trustManagerFactory())
                .keyManagerFactory(certificate.keyManagerFactoryForAnyServer());
    }

    private static UnaryOperator<MqttClientSslConfigBuilder> withoutCertificate() {
        return ssl -> ssl.trustManagerFactory(ca.trustManagerFactory());
    }

    private static void roundTrip(Mqtt5BlockingClient client, String topic) throws Exception {
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
            client.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
            client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                    .payload("hello".getBytes(StandardCharsets.UTF_8)).send();
            assertEquals("hello", new String(publishes.receive(3, TimeUnit.SECONDS).orElseThrow()
                    .getPayloadAsBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void requiredCertificateSignedByTheClientCaConnectsAndExchangesMessages() throws Exception {
        try (RunningBroker broker = broker(serverFiles.withClientCa(caFile, ClientAuth.REQUIRED))) {
            Mqtt5BlockingClient client = v5(broker, "password-ok-1", presenting(ca.client("device-1")));
            client.connect();
            roundTrip(client, "devices/1");
            client.disconnect();
        }
    }

    @Test
    void requiredCertificateMissingFailsTheConnectionAndLeavesOthersConnected() throws Exception {
        try (RunningBroker broker = broker(serverFiles.withClientCa(caFile, ClientAuth.REQUIRED))) {
            Mqtt5BlockingClient good = v5(broker, "password-ok-good", presenting(ca.client("device-1")));
            good.connect();
            Mqtt5BlockingClient without = v5(broker, "password-ok-2", withoutCertificate());
            assertThrows(RuntimeException.class, without::connect);
            assertTrue(good.getState().isConnected());
            roundTrip(good, "still/up");
            good.disconnect();
        }
    }

    @Test
    void certificateFromAnotherAuthorityIsRefused() {
        try (RunningBroker broker = broker(serverFiles.withClientCa(caFile, ClientAuth.REQUIRED))) {
            Mqtt5BlockingClient stranger = v5(broker, "password-ok-3", forcing(otherCa.client("device-1")));
            assertThrows(RuntimeException.class, stranger::connect);
        }
    }

    @Test
    void optionalCertificateLetsClientsWithAndWithoutOneConnectButNotWithABadOne() throws Exception {
        try (RunningBroker broker = broker(serverFiles.withClientCa(caFile, ClientAuth.OPTIONAL))) {
            // Presented the same way as the stranger's below, so that its refusal is the server's doing.
            Mqtt5BlockingClient with = v5(broker, "password-ok-with", forcing(ca.client("device-1")));
            with.connect();
            Mqtt5BlockingClient without = v5(broker, "password-ok-without", withoutCertificate());
            without.connect();
            roundTrip(without, "optional/1");
            Mqtt5BlockingClient stranger = v5(broker, "password-ok-stranger", forcing(otherCa.client("x")));
            assertThrows(RuntimeException.class, stranger::connect);
            with.disconnect();
            without.disconnect();
        }
    }

    @Test
    void withoutIdentityAsUsernameTheCertificateDoesNotReplaceThePassword() {
        // The authenticator refuses this client id: a certificate alone does not let it in.
        try (RunningBroker broker = broker(serverFiles.withClientCa(caFile, ClientAuth.REQUIRED))) {
            Mqtt5BlockingClient client = v5(broker, "no-password", presenting(ca.client("device-1")));
            Mqtt5ConnAckException refused = assertThrows(Mqtt5ConnAckException.class, client::connect);
            assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refused.getMqttMessage().getReasonCode());
        }
    }

    @Test
    void identityAsUsernameMakesTheCertificateCnTheUsernameWithoutAskingThePassword() throws Exception {
        RecordingAuthorizer authorizer = new RecordingAuthorizer();
        ListenerConfig.Tls tls = serverFiles.withClientCa(caFile, ClientAuth.REQUIRED).withIdentityAsUsername();
        try (RunningBroker broker = broker(tls, authorizer)) {
            // The authenticator would refuse this client id, and the username it sends is not the one it gets.
            Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier("sensor-client")
                    .serverHost("127.0.0.1").serverPort(broker.broker().boundPort("tls"))
                    .sslConfig().trustManagerFactory(ca.trustManagerFactory())
                    .keyManagerFactory(ca.clientWithSubject("CN=sensor-17,O=Plant 3").keyManagerFactory())
                    .applySslConfig()
                    .simpleAuth().username("someone-else").password("ignored".getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth()
                    .buildBlocking();
            client.connect();
            roundTrip(client, "sensors/17");
            ClientInfo seen = authorizer.publishers.get("sensor-client");
            assertEquals("sensor-17", seen.username());
            assertEquals("sensor-17", seen.certificateIdentity());
            assertTrue(seen.authenticatedByCertificate());
            client.disconnect();
        }
    }

    @Test
    void identityAsUsernameWorksOverSecureWebSocketToo() throws Exception {
        RecordingAuthorizer authorizer = new RecordingAuthorizer();
        ListenerConfig.Tls tls = serverFiles.withClientCa(caFile, ClientAuth.REQUIRED).withIdentityAsUsername();
        try (RunningBroker broker = RunningBroker.start(
                c -> c.listener(ListenerConfig.websocket("127.0.0.1", 0, "/mqtt").named("wss").withTls(tls)),
                b -> b.authorizer(authorizer).authenticator((client, password) -> false))) {
            Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier("browser-like")
                    .serverHost("127.0.0.1").serverPort(broker.broker().boundPort("wss"))
                    .webSocketConfig().serverPath("mqtt").subprotocol("mqtt").applyWebSocketConfig()
                    .sslConfig(presenting(ca.client("panel-4")).apply(MqttClientSslConfig.builder()).build())
                    .buildBlocking();
            client.connect();
            roundTrip(client, "panels/4");
            assertEquals("panel-4", authorizer.publishers.get("browser-like").username());
            client.disconnect();
        }
    }

    @Test
    void identityAsUsernameRefusesAClientWithoutCertificateWithNotAuthorized() {
        ListenerConfig.Tls tls = serverFiles.withClientCa(caFile, ClientAuth.OPTIONAL).withIdentityAsUsername();
        try (RunningBroker broker = broker(tls)) {
            // Even a client the authenticator would accept: this listener identifies clients by certificate only.
            Mqtt5BlockingClient v5 = v5(broker, "password-ok-v5", withoutCertificate());
            Mqtt5ConnAckException refused5 = assertThrows(Mqtt5ConnAckException.class, v5::connect);
            assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refused5.getMqttMessage().getReasonCode());

            Mqtt3BlockingClient v3 = MqttClient.builder().useMqttVersion3().identifier("password-ok-v3")
                    .serverHost("127.0.0.1").serverPort(broker.broker().boundPort("tls"))
                    .sslConfig().trustManagerFactory(ca.trustManagerFactory()).applySslConfig().buildBlocking();
            Mqtt3ConnAckException refused3 = assertThrows(Mqtt3ConnAckException.class, v3::connect);
            assertEquals(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED, refused3.getMqttMessage().getReturnCode());
        }
    }

    @Test
    void aListenerOfferingOnlyTls13RefusesATls12Client() throws Exception {
        ListenerConfig.Tls tls = serverFiles.withProtocols(List.of("TLSv1.3"));
        try (RunningBroker broker = broker(tls)) {
            Mqtt5BlockingClient old = v5(broker, "password-ok-12",
                    ssl -> ssl.trustManagerFactory(ca.trustManagerFactory()).protocols(List.of("TLSv1.2")));
            assertThrows(RuntimeException.class, old::connect);
            Mqtt5BlockingClient current = v5(broker, "password-ok-13",
                    ssl -> ssl.trustManagerFactory(ca.trustManagerFactory()).protocols(List.of("TLSv1.3")));
            current.connect();
            current.disconnect();
        }
    }

    @Test
    void theDefaultProtocolsAcceptTls12AndTls13Clients() {
        try (RunningBroker broker = broker(serverFiles)) {
            for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
                Mqtt5BlockingClient client = v5(broker, "password-ok-" + protocol,
                        ssl -> ssl.trustManagerFactory(ca.trustManagerFactory()).protocols(List.of(protocol)));
                client.connect();
                client.disconnect();
            }
        }
    }
}
