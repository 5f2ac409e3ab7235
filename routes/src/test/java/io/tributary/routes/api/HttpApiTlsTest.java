package io.tributary.routes.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.bridge.config.HttpApiSettings;
import io.tributary.bridge.config.Secret;
import io.tributary.broker.Broker;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.ListenerConfig;
import io.tributary.routes.http.WebhookSinks;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.tls.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API over TLS, with the PEM files a broker listener takes, renewed while it runs. */
class HttpApiTlsTest {
    static final Map<String, String> ENVIRONMENT = Map.of("API_TOKEN", "secret-value");

    @TempDir
    Path dir;
    Broker broker;
    DefaultCamelContext context;
    WebhookSinks sinks;
    HttpApi api;
    TestCertificates.Authority ca;
    TestCertificates.Issued.Written files;
    SSLContext trusting;

    @BeforeEach
    void start() throws Exception {
        broker = Broker.builder().config(BrokerConfig.builder()
                .listener(ListenerConfig.tcp("127.0.0.1", 0).named("tcp")).build()).build();
        broker.start().join();
        context = new DefaultCamelContext();
        context.disableJMX();
        context.start();
        sinks = new WebhookSinks(ENVIRONMENT);
        ca = TestCertificates.authority("Test CA");
        files = ca.server("api-one").write(dir, "api");
        trusting = SSLContext.getInstance("TLS");
        trusting.init(null, ca.trustManagerFactory().getTrustManagers(), null);
        api = HttpApi.start(new HttpApiSettings("127.0.0.1", 0, List.of(Secret.fromEnvironment("API_TOKEN")))
                        .withTls(new HttpApiSettings.Tls(files.certificate(), files.key())),
                context, broker, sinks, dir.resolve("data"), ENVIRONMENT);
    }

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
        context.stop();
        sinks.close();
        broker.close();
    }

    @Test
    void theApiAnswersOverHttpsAndNotOverPlainHttp() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(trusting).build();
        HttpResponse<String> live = client.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + api.port() + "/health/live")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, live.statusCode());
        HttpResponse<String> publish = client.send(HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + api.port() + "/api/v1/publish"))
                        .header("Authorization", "Bearer secret-value")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"topic\":\"tls/test\",\"payload\":\"x\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, publish.statusCode(), publish.body());

        HttpClient plain = HttpClient.newHttpClient();
        assertThrows(IOException.class, () -> plain.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + api.port() + "/health/live")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void aRenewedCertificateIsServedToNewConnectionsWithoutARestart() throws Exception {
        assertEquals("CN=api-one", serverSubject());
        ca.server("api-two").write(dir, "api");
        FileTime later = FileTime.from(Instant.now().plusSeconds(5));
        Files.setLastModifiedTime(files.certificate(), later);
        Files.setLastModifiedTime(files.key(), later);
        // A handshake that meets the swap itself may fail; the next connection gets the new certificate.
        Await.until(Duration.ofSeconds(10), "a new connection to get the renewed certificate",
                this::serverSubjectOrFailure, "CN=api-two"::equals);
    }

    private String serverSubjectOrFailure() {
        try {
            return serverSubject();
        } catch (UncheckedIOException e) {
            return "handshake failed: " + e.getCause();
        }
    }

    private String serverSubject() {
        try (SSLSocket socket = (SSLSocket) trusting.getSocketFactory().createSocket("127.0.0.1", api.port())) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal()
                    .getName();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
