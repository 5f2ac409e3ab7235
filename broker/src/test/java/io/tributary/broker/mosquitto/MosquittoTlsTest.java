package io.tributary.broker.mosquitto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.tributary.broker.Authorizer;
import io.tributary.broker.ClientInfo;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.ListenerConfig.ClientAuth;
import io.tributary.broker.clients.RunningBroker;
import io.tributary.testsupport.tls.TestCertificates;
import io.tributary.testsupport.tls.TestCertificates.Authority;
import io.tributary.testsupport.tls.TestCertificates.Issued;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mosquitto_pub} and {@code mosquitto_sub} (OpenSSL underneath) against a listener that requires
 * client certificates: {@code --cafile/--cert/--key} as a Mosquitto user would pass them.
 */
class MosquittoTlsTest {
    @TempDir
    static Path dir;
    static Path caFile;
    static Issued.Written device;
    static Issued.Written stranger;
    static ListenerConfig.Tls required;

    @BeforeAll
    static void makeCertificates() {
        MosquittoProcess.assumeInstalled("mosquitto_pub");
        MosquittoProcess.assumeInstalled("mosquitto_sub");
        Authority ca = TestCertificates.authority("Test CA");
        caFile = ca.writeCertificate(dir.resolve("ca.crt"));
        Issued.Written server = ca.server("localhost").write(dir, "server");
        device = ca.client("device-7").write(dir, "device");
        stranger = TestCertificates.authority("Other CA").client("device-7").write(dir, "stranger");
        required = new ListenerConfig.Tls(server.certificate(), server.key()).withClientCa(caFile, ClientAuth.REQUIRED);
    }

    private static RunningBroker broker(ListenerConfig.Tls tls, Authorizer authorizer) {
        return RunningBroker.start(c -> c.listener(ListenerConfig.tcp("127.0.0.1", 0).named("tls").withTls(tls)),
                b -> b.authorizer(authorizer));
    }

    private static List<String> tls(int port, Issued.Written certificate) {
        List<String> arguments = new ArrayList<>(List.of("-h", "127.0.0.1", "-p", Integer.toString(port),
                "--cafile", caFile.toString()));
        if (certificate != null) {
            arguments.addAll(List.of("--cert", certificate.certificate().toString(),
                    "--key", certificate.key().toString()));
        }
        return arguments;
    }

    private static int publishExitCode(int port, Issued.Written certificate) throws Exception {
        List<String> arguments = tls(port, certificate);
        arguments.addAll(List.of("-t", "devices/7/state", "-m", "on"));
        try (MosquittoProcess pub = MosquittoProcess.start("mosquitto_pub", arguments)) {
            return pub.exitCodeWithin(10);
        }
    }

    @Test
    void mosquittoClientsWithACertificateOfTheClientCaExchangeAMessage() throws Exception {
        try (RunningBroker broker = broker(required, Authorizer.ALLOW_ALL)) {
            int port = broker.broker().boundPort("tls");
            List<String> subArguments = tls(port, device);
            subArguments.addAll(List.of("-d", "-F", MosquittoProcess.MESSAGE_FORMAT, "-t", "devices/#", "-C", "1"));
            try (MosquittoProcess sub = MosquittoProcess.start("mosquitto_sub", subArguments)) {
                sub.awaitLine(line -> line.contains("SUBACK"), 10);
                assertEquals(0, publishExitCode(port, device));
                String[] message = sub.nextMessage(5);
                assertEquals("devices/7/state", message[0]);
                assertEquals("on", message[4]);
            }
        }
    }

    @Test
    void mosquittoPubWithoutACertificateIsRefused() throws Exception {
        try (RunningBroker broker = broker(required, Authorizer.ALLOW_ALL)) {
            assertNotEquals(0, publishExitCode(broker.broker().boundPort("tls"), null));
        }
    }

    @Test
    void mosquittoPubWithACertificateOfAnotherAuthorityIsRefused() throws Exception {
        try (RunningBroker broker = broker(required, Authorizer.ALLOW_ALL)) {
            assertNotEquals(0, publishExitCode(broker.broker().boundPort("tls"), stranger));
        }
    }

    @Test
    void mosquittoPubIdentifiedByItsCertificateGetsTheCnAsUsername() throws Exception {
        Map<String, String> usernames = new ConcurrentHashMap<>();
        Authorizer recording = new Authorizer() {
            @Override
            public boolean mayPublish(ClientInfo client, String topic) {
                usernames.put(topic, String.valueOf(client.username()));
                return true;
            }

            @Override
            public boolean maySubscribe(ClientInfo client, String filter) {
                return true;
            }
        };
        try (RunningBroker broker = broker(required.withIdentityAsUsername(), recording)) {
            assertEquals(0, publishExitCode(broker.broker().boundPort("tls"), device));
            io.tributary.testsupport.await.Await.until(java.time.Duration.ofSeconds(5),
                    "the authorizer to see the publish", () -> usernames.containsKey("devices/7/state"));
            assertEquals("device-7", usernames.get("devices/7/state"));
        }
    }
}
