package io.tributary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.tributary.bridge.config.ConfigLoader;
import io.tributary.bridge.config.TributaryConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The routes of a running Tributary follow its configuration file, while a device stays connected. */
class ConfigReloadTest {

    private static final Duration CHECK_INTERVAL = Duration.ofMillis(100);

    @TempDir
    Path folder;
    private Path file;
    private RunningTributary tributary;
    private Mqtt5BlockingClient device;
    private Mqtt5BlockingClient.Mqtt5Publishes outputs;
    private final AtomicInteger disconnects = new AtomicInteger();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void start() throws Exception {
        logs.start();
        ((Logger) LoggerFactory.getLogger(ConfigReload.class)).addAppender(logs);
        file = folder.resolve("tributary.yaml");
        Files.writeString(file, config("out/a/{device}"));
        TributaryConfig started = new ConfigLoader(Map.of()).load(file);
        tributary = RunningTributary.start(started);
        tributary.reloadRoutesOnChange(file, Map.of(), started, CHECK_INTERVAL);
        device = Mqtt5Client.builder().identifier("reload-test").serverHost("127.0.0.1")
                .serverPort(tributary.boundPort("mqtt"))
                .addDisconnectedListener(context -> disconnects.incrementAndGet())
                .buildBlocking();
        device.connect();
        outputs = device.publishes(MqttGlobalPublishFilter.SUBSCRIBED);
        device.subscribeWith().topicFilter("out/#").qos(MqttQos.AT_LEAST_ONCE).send();
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(ConfigReload.class)).detachAppender(logs);
        if (outputs != null) {
            outputs.close();
        }
        if (device != null && device.getState().isConnected()) {
            device.disconnect();
        }
        if (tributary != null) {
            tributary.stop();
        }
    }

    @Test
    void anEditedRouteIsAppliedWithoutDroppingTheDevice() throws Exception {
        assertEquals("out/a/d1", relay("d1"));

        Files.writeString(file, config("out/b/{device}"));

        assertEquals("out/b/d2", awaitRouteTo("out/b/", "d2"));
        assertEquals(0, disconnects.get(), "the device was disconnected by the reload");
        assertTrue(device.getState().isConnected());
        assertTrue(logged("Routes reloaded from " + file + ": changed [copy]"), messages().toString());
    }

    @Test
    void aFileWithErrorsKeepsTheRunningRoutesAndSaysWhy() throws Exception {
        Files.writeString(file, config("out/b/{device}").replace("to:", "too:"));

        awaitLogged("changed but has");
        assertEquals("out/a/d3", relay("d3"));
        assertTrue(messages().stream().anyMatch(m -> m.contains("tributary.yaml:") && m.contains("too")),
                messages().toString());
    }

    @Test
    void aFixedFileSaysItIsValidAgainAndIsApplied() throws Exception {
        Files.writeString(file, config("out/b/{device}").replace("to:", "too:"));
        awaitLogged("changed but has");

        Files.writeString(file, config("out/b/{device}"));

        awaitLogged("Configuration " + file + " is valid again; routes applied: changed [copy]");
        assertEquals("out/b/d6", awaitRouteTo("out/b/", "d6"));
    }

    @Test
    void aFileFixedBackToTheRunningRoutesSaysItIsValidAgain() throws Exception {
        Files.writeString(file, config("out/a/{device}").replace("to:", "too:"));
        awaitLogged("changed but has");

        Files.writeString(file, config("out/a/{device}"));

        awaitLogged("Configuration " + file + " is valid again; the running routes are the ones it describes");
    }

    @Test
    void changesOutsideTheRoutesAreNamedAsNeedingARestart() throws Exception {
        Files.writeString(file, config("out/a/{device}").replace("max-inflight: 32", "max-inflight: 16"));

        awaitLogged("changes to broker apply after a restart");
        assertEquals("out/a/d4", relay("d4"));
    }

    @Test
    void aRouteOnAConnectionAddedToTheFileWaitsForARestartAndTheRunningRoutesStay() throws Exception {
        Files.writeString(file, config("out/b/{device}") + """
                  - name: to-table
                    from: { mqtt: "t/{device}" }
                    to: { jdbc: { connection: store, table: readings, columns: { v: "{payload}" } } }
                connections:
                  jdbc:
                    store: { embedded: true }
                """);

        awaitLogged("uses connections.jdbc.store, which the running Tributary does not have");
        assertTrue(logged("tributary.yaml:8:5: routes[to-table]"), messages().toString());
        assertEquals("out/a/d5", relay("d5"));
    }

    @Test
    void onlyTheSectionsThatDifferNeedARestart() throws Exception {
        TributaryConfig base = new ConfigLoader(Map.of()).loadString("a.yaml", config("out/a/{device}"));
        TributaryConfig otherRoutes = new ConfigLoader(Map.of()).loadString("b.yaml", config("out/b/{device}"));
        TributaryConfig otherData = new ConfigLoader(Map.of()).loadString("c.yaml", config("out/a/{device}")
                + "data-directory: elsewhere\n");

        assertEquals(List.of(), ConfigReload.sectionsNeedingRestart(base, otherRoutes));
        assertEquals(List.of("data-directory"), ConfigReload.sectionsNeedingRestart(base, otherData));
    }

    private String relay(String deviceId) throws InterruptedException {
        device.publishWith().topic("in/" + deviceId).qos(MqttQos.AT_LEAST_ONCE)
                .payload(deviceId.getBytes(StandardCharsets.UTF_8)).send();
        Optional<Mqtt5Publish> received = outputs.receive(30, TimeUnit.SECONDS);
        return received.orElseThrow(() -> new AssertionError("nothing relayed for " + deviceId)).getTopic().toString();
    }

    /** Publishes until the route delivers under {@code prefix}: the reload is seen within a check or two. */
    private String awaitRouteTo(String prefix, String deviceId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String topic = relay(deviceId);
            if (topic.startsWith(prefix)) {
                return topic;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the route never switched to " + prefix);
    }

    private void awaitLogged(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!logged(text)) {
            assertTrue(System.nanoTime() < deadline, "never logged '" + text + "': " + messages());
            Thread.sleep(20);
        }
    }

    private boolean logged(String text) {
        return messages().stream().anyMatch(message -> message.contains(text));
    }

    private List<String> messages() {
        synchronized (logs) { // the lock ListAppender appends under (AppenderBase.doAppend)
            return logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    private static String config(String target) {
        return """
                broker:
                  max-inflight: 32
                  listeners: [ { name: mqtt, type: tcp, port: 0 } ]
                routes:
                  - name: copy
                    from: { mqtt: "in/{device}" }
                    to:   { mqtt: { topic: "%s", qos: 1 } }
                """.formatted(target);
    }
}
