package io.tributary.broker.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.broker.testsupport.SelfSignedTls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A TLS listener with a certificate made at test time, used by the HiveMQ client. */
class TlsListenerTest {
    @TempDir
    static Path dir;
    static SelfSignedTls tls;

    @BeforeAll
    static void makeCertificate() throws Exception {
        tls = SelfSignedTls.generate(dir);
    }

    private static RunningBroker brokerWithTls() {
        return RunningBroker.start(c -> c.listener(ListenerConfig.tcp("127.0.0.1", 0).named("tls").withTls(tls.files())));
    }

    private static Mqtt5BlockingClient tlsClient(int port, String id) throws Exception {
        return MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1").serverPort(port)
                .sslConfig().trustManagerFactory(tls.trustManagerFactory()).applySslConfig()
                .buildBlocking();
    }

    @Test
    void hivemqClientTrustingTheCertificateRoundTripsQos1OverTls() throws Exception {
        try (RunningBroker broker = brokerWithTls()) {
            int port = broker.broker().boundPort("tls");
            Mqtt5BlockingClient sub = tlsClient(port, "tls-sub");
            sub.connect();
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
                sub.subscribeWith().topicFilter("secure/#").qos(MqttQos.AT_LEAST_ONCE).send();
                Mqtt5BlockingClient pub = tlsClient(port, "tls-pub");
                pub.connect();
                pub.publishWith().topic("secure/1").qos(MqttQos.AT_LEAST_ONCE)
                        .payload("over tls".getBytes(StandardCharsets.UTF_8)).send();
                Mqtt5Publish received = publishes.receive(3, TimeUnit.SECONDS).orElseThrow();
                assertEquals("over tls", new String(received.getPayloadAsBytes(), StandardCharsets.UTF_8));
                assertEquals(MqttQos.AT_LEAST_ONCE, received.getQos());
                pub.disconnect();
            }
            sub.disconnect();
        }
    }

    @Test
    void tlsAndPlainTcpClientsExchangeMessages() throws Exception {
        try (RunningBroker broker = brokerWithTls()) {
            Mqtt5BlockingClient secure = tlsClient(broker.broker().boundPort("tls"), "tls-side");
            secure.connect();
            Mqtt5BlockingClient plain = MqttClient.builder().useMqttVersion5().identifier("plain-side")
                    .serverHost("127.0.0.1").serverPort(broker.port()).buildBlocking();
            plain.connect();
            try (Mqtt5BlockingClient.Mqtt5Publishes atPlain = plain.publishes(MqttGlobalPublishFilter.ALL)) {
                plain.subscribeWith().topicFilter("mixed").qos(MqttQos.AT_LEAST_ONCE).send();
                secure.publishWith().topic("mixed").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {42}).send();
                assertEquals(42, atPlain.receive(3, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes()[0]);
            }
            secure.disconnect();
            plain.disconnect();
        }
    }

    @Test
    void clientThatDoesNotTrustTheCertificateCannotConnect() throws Exception {
        try (RunningBroker broker = brokerWithTls()) {
            Mqtt5BlockingClient untrusting = MqttClient.builder().useMqttVersion5().identifier("untrusting")
                    .serverHost("127.0.0.1").serverPort(broker.broker().boundPort("tls"))
                    .sslWithDefaultConfig().buildBlocking();
            assertThrows(RuntimeException.class, untrusting::connect);
        }
    }
}
