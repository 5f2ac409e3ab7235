package io.tributary.broker.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.tls.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A renewed server certificate written over the listener's files: new connections get it without a restart,
 * and a connection made before keeps working.
 */
class CertificateReloadTest {
    @TempDir
    Path dir;

    @Test
    void newConnectionsGetTheRenewedCertificateWhileAnOldConnectionStaysUp() throws Exception {
        TestCertificates.Authority ca = TestCertificates.authority("Test CA");
        TestCertificates.Issued.Written files = ca.server("server-one").write(dir, "server");
        ListenerConfig.Tls tls = new ListenerConfig.Tls(files.certificate(), files.key());
        try (RunningBroker broker = RunningBroker.start(
                c -> c.listener(ListenerConfig.tcp("127.0.0.1", 0).named("tls").withTls(tls)))) {
            int port = broker.broker().boundPort("tls");
            SSLContext trusting = SSLContext.getInstance("TLS");
            trusting.init(null, ca.trustManagerFactory().getTrustManagers(), null);
            assertEquals("CN=server-one", serverSubject(trusting, port));

            Mqtt5BlockingClient old = MqttClient.builder().useMqttVersion5().identifier("old")
                    .serverHost("127.0.0.1").serverPort(port)
                    .sslConfig().trustManagerFactory(ca.trustManagerFactory()).applySslConfig().buildBlocking();
            old.connect();

            ca.server("server-two").write(dir, "server");
            // Dates in the future: the renewal is seen even on a file system with coarse dates.
            FileTime later = FileTime.from(Instant.now().plusSeconds(5));
            Files.setLastModifiedTime(files.certificate(), later);
            Files.setLastModifiedTime(files.key(), later);
            Await.until(Duration.ofSeconds(10), "a new connection to get the renewed certificate",
                    () -> serverSubject(trusting, port), "CN=server-two"::equals);

            assertTrue(old.getState().isConnected());
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = old.publishes(MqttGlobalPublishFilter.ALL)) {
                old.subscribeWith().topicFilter("after/renewal").qos(MqttQos.AT_LEAST_ONCE).send();
                old.publishWith().topic("after/renewal").qos(MqttQos.AT_LEAST_ONCE)
                        .payload("still here".getBytes(StandardCharsets.UTF_8)).send();
                assertEquals("still here", new String(publishes.receive(3, TimeUnit.SECONDS).orElseThrow()
                        .getPayloadAsBytes(), StandardCharsets.UTF_8));
            }
            old.disconnect();
        }
    }

    /** The subject of the certificate the server presents to a new connection. */
    private static String serverSubject(SSLContext context, int port) {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal()
                    .getName();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
