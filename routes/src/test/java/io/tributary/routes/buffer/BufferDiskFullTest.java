package io.tributary.routes.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tributary.bridge.config.AckMode;
import io.tributary.bridge.config.BufferSettings;
import io.tributary.bridge.config.ConnectionSettings;
import io.tributary.bridge.config.RetrySettings;
import io.tributary.bridge.config.RouteSettings;
import io.tributary.bridge.config.RouteSink;
import io.tributary.bridge.config.RouteSource;
import io.tributary.bridge.config.SourceLocation;
import io.tributary.bridge.config.TributaryConfig;
import io.tributary.bridge.mapping.Template;
import io.tributary.bridge.mapping.TopicPattern;
import io.tributary.broker.Broker;
import io.tributary.broker.BrokerConfig;
import io.tributary.broker.ListenerConfig;
import io.tributary.broker.Message;
import io.tributary.broker.MessageProperties;
import io.tributary.broker.QoS;
import io.tributary.routes.TributaryBridge;
import io.tributary.testsupport.await.Await;
import io.tributary.testsupport.http.WebhookServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A buffer whose disk fills up (a small tmpfs, mounted by the test, so it runs as root only): the device whose
 * message cannot be stored gets a failed acknowledgement, the buffer takes messages again once there is space
 * (RocksDB resumes by itself after a no-space error), and every message that was acknowledged reaches the sink.
 */
class BufferDiskFullTest {

    private static final int PAYLOAD_BYTES = 64 * 1024;

    @TempDir
    Path folder;

    @Test
    void aFullDiskFailsTheAcknowledgementRecoversWithSpaceAndLosesNothingAcknowledged() throws Exception {
        Path data = folder.resolve("data");
        Files.createDirectories(data);
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", data.toString()),
                "mounting a tmpfs needs root");
        WebhookServer webhook = WebhookServer.start();
        AtomicBoolean down = new AtomicBoolean(true);
        webhook.script("/in", (request, index) -> WebhookServer.Answer.status(down.get() ? 503 : 200));
        Broker broker = Broker.builder().config(BrokerConfig.builder()
                .listener(ListenerConfig.tcp("127.0.0.1", 0).named("tcp")).build()).build();
        broker.start().join();
        TributaryBridge bridge = null;
        try {
            RouteSettings route = new RouteSettings("full-disk", new RouteSource.Mqtt(TopicPattern.parse("in/#")),
                    new RouteSink.Http(Template.parse(webhook.url("/in")), "POST", RouteSink.WebhookFormat.RAW,
                            Duration.ofSeconds(2), 4, Map.of(), Optional.empty()),
                    Optional.empty(), new RetrySettings(1, Duration.ofMillis(50), 2.0, Duration.ofMillis(100)),
                    Optional.empty(), new SourceLocation("test.yaml", 1, 1), AckMode.BUFFER,
                    BufferSettings.defaults());
            bridge = TributaryBridge.start(new TributaryConfig(BrokerConfig.builder().build(), data,
                    ConnectionSettings.none(), List.of(route), List.of()), broker);

            List<Integer> acknowledged = new ArrayList<>();
            Throwable refusal = null;
            for (int i = 0; i < 400 && refusal == null; i++) {
                try {
                    broker.publish(message(i)).get(30, TimeUnit.SECONDS);
                    acknowledged.add(i);
                } catch (java.util.concurrent.ExecutionException e) {
                    refusal = e.getCause();
                }
            }

            assertTrue(refusal != null, "8 MB cannot hold 400 messages of 64 KiB: a write must fail");
            assertTrue(acknowledged.size() > 5, "messages were acknowledged before the disk was full");
            // Space comes back: a message is taken again.
            assertTrue(run("mount", "-o", "remount,size=64m", data.toString()));
            int[] next = {1000};
            Await.until(Duration.ofSeconds(30), "a message taken once there is space again", () -> {
                try {
                    broker.publish(message(next[0])).get(30, TimeUnit.SECONDS);
                    acknowledged.add(next[0]);
                    return true;
                } catch (Exception e) {
                    next[0]++;
                    return false;
                }
            });
            down.set(false);
            Await.until(Duration.ofSeconds(60), "every acknowledged message delivered",
                    () -> delivered(webhook).containsAll(acknowledged));
            assertEquals(new HashSet<>(acknowledged).size(), acknowledged.size());
        } finally {
            if (bridge != null) {
                bridge.close();
            }
            broker.close();
            webhook.close();
            run("umount", data.toString());
        }
    }

    private static Message message(int number) {
        byte[] payload = new byte[PAYLOAD_BYTES];
        // Random-looking bytes, so that the store's compression cannot make them small.
        new java.util.Random(number).nextBytes(payload);
        byte[] label = (number + ":").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(label, 0, payload, 0, label.length);
        return new Message("in/d", payload, QoS.AT_LEAST_ONCE, false, MessageProperties.NONE, "d",
                System.currentTimeMillis());
    }

    private static Set<Integer> delivered(WebhookServer webhook) {
        Set<Integer> numbers = new HashSet<>();
        for (WebhookServer.Answered answered : webhook.answered("/in")) {
            if (answered.status() == 200) {
                byte[] body = answered.request().body();
                String text = new String(Arrays.copyOf(body, 12), StandardCharsets.US_ASCII);
                numbers.add(Integer.parseInt(text.substring(0, text.indexOf(':'))));
            }
        }
        return numbers;
    }

    private static boolean run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
