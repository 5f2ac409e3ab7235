package io.tributary.it.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.tributary.it.support.Teardown;
import io.tributary.it.support.TestTributary;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.mosquitto.MosquittoBroker;
import io.tributary.testsupport.mosquitto.MosquittoTools;
import io.tributary.testsupport.tls.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Links over TLS to a real Mosquitto that serves TLS only and demands a client certificate: with the right authority
 * and a client certificate a message flows from Mosquitto through a route to the built-in broker; a connection that
 * trusts another authority, or presents no client certificate, stays down with the TLS reason in its readiness, and
 * Tributary runs on.
 */
class TlsLinkTest {

    @TempDir
    Path data;
    private MosquittoBroker mosquitto;
    private TestTributary tributary;
    private TestCertificates.Issued client;
    private TestCertificates.Authority ca;

    @BeforeEach
    void start() {
        assumeTrue(MosquittoTools.installed("mosquitto"), "mosquitto is not installed");
        ca = TestCertificates.authority("Plant CA");
        Path caFile = ca.writeCertificate(data.resolve("ca.crt"));
        TestCertificates.Issued.Written server = ca.server("localhost").write(data, "server");
        client = ca.client("tributary");
        client.write(data, "client");
        TestCertificates.authority("Other CA").writeCertificate(data.resolve("other-ca.crt"));
        mosquitto = MosquittoBroker.builder(data).allowAnonymous()
                .tlsRequiringClientCertificate(caFile, server.certificate(), server.key()).start();
        tributary = TestTributary.start(data.resolve("tributary"), """
                connections:
                  mqtt:
                    plant:
                      url: "ssl://localhost:%1$d"
                      client-id: tributary-tls-it
                      tls: { ca: "%2$s/ca.crt", cert: "%2$s/client.crt", key: "%2$s/client.key" }
                    wrong-ca:
                      url: "mqtts://127.0.0.1:%1$d"
                      client-id: tributary-wrong-ca-it
                      tls: { ca: "%2$s/other-ca.crt", cert: "%2$s/client.crt", key: "%2$s/client.key" }
                    no-client-certificate:
                      url: "ssl://127.0.0.1:%1$d"
                      client-id: tributary-no-cert-it
                      tls: { ca: "%2$s/ca.crt" }
                routes:
                  - name: plant-to-built-in
                    from: { mqtt: { connection: plant, topic: "sensors/{id}" } }
                    to: { mqtt: { topic: "plant/sensors/{id}" } }
                  - name: wrong-ca-to-built-in
                    from: { mqtt: { connection: wrong-ca, topic: "other/{id}" } }
                    to: { mqtt: { topic: "wrong/{id}" } }
                  - name: no-cert-to-built-in
                    from: { mqtt: { connection: no-client-certificate, topic: "more/{id}" } }
                    to: { mqtt: { topic: "none/{id}" } }
                """.formatted(mosquitto.port(), data));
    }

    @AfterEach
    void stop() throws Exception {
        Teardown.closeInOrder(tributary, mosquitto);
    }

    @Test
    void aMessageComesOverTlsWithAClientCertificate() throws Exception {
        Await.until(Duration.ofSeconds(10), "the TLS link up", () -> "up".equals(linkState("plant")));
        Mqtt5BlockingClient subscriber = tributary.mqtt5("subscriber");
        try (Mqtt5BlockingClient.Mqtt5Publishes received = subscriber.publishes(
                MqttGlobalPublishFilter.ALL)) {
            subscriber.subscribeWith().topicFilter("plant/sensors/+").qos(MqttQos.AT_LEAST_ONCE).send();

            Mqtt5BlockingClient device = MqttClient.builder().useMqttVersion5().identifier("device")
                    .serverHost("localhost").serverPort(mosquitto.port())
                    .sslConfig(MqttClientSslConfig.builder().trustManagerFactory(ca.trustManagerFactory())
                            .keyManagerFactory(client.keyManagerFactory()).build())
                    .buildBlocking();
            device.connect();
            device.publishWith().topic("sensors/t1").qos(MqttQos.AT_LEAST_ONCE)
                    .payload("21.5".getBytes(StandardCharsets.UTF_8)).send();
            device.disconnect();

            Optional<Mqtt5Publish> message = received.receive(10, TimeUnit.SECONDS);
            assertTrue(message.isPresent(), "the message reached the built-in broker through the TLS link");
            assertEquals("plant/sensors/t1", message.get().getTopic().toString());
            assertEquals("21.5", new String(message.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
        } finally {
            subscriber.disconnect();
        }
    }

    @Test
    void aBrokerCertificateOfAnotherAuthorityKeepsTheLinkDownWithTheReason() {
        Await.until(Duration.ofSeconds(10), "the TLS link up", () -> "up".equals(linkState("plant")));
        // Such as "down: not connected for 0 s: javax.net.ssl.SSLHandshakeException: PKIX path building failed: ..."
        Await.until(Duration.ofSeconds(10), "the wrong-ca link down with the TLS reason",
                () -> linkState("wrong-ca").matches("down: .*SSLHandshakeException: PKIX path building failed.*"));
        Await.until(Duration.ofSeconds(10), "the link without a client certificate down with the TLS reason",
                () -> linkState("no-client-certificate").matches("down: .*certificate_required.*"));
        assertEquals("up", linkState("plant"), "the good link is not disturbed");
    }

    private String linkState(String connection) {
        return tributary.linkState(connection);
    }
}
