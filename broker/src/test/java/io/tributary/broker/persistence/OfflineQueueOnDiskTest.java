package io.tributary.broker.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import io.tributary.broker.clients.RunningBroker;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An offline persistent session's queue lives on disk, not in the heap, and comes back whole and in order, through
 * a restart too, as its client drains it.
 */
class OfflineQueueOnDiskTest {
    /** Enough to hold many pages; bench RestartTime measures a million. */
    private static final int MESSAGES = 20_000;

    @TempDir
    Path dir;

    @Test
    void queuedMessagesWaitOnDiskNotInTheHeapAndArriveInOrderAfterARestart() throws Exception {
        try (RunningBroker first = Restarts.start(dir, config -> config.maxQueuedMessages(MESSAGES)
                .maxQueuedBytes(64 << 20))) {
            Mqtt5BlockingClient client = Restarts.v5(first, "offline");
            client.connectWith().sessionExpiryInterval(3600).send();
            client.subscribeWith().topicFilter("q/#").qos(MqttQos.AT_LEAST_ONCE).send();
            client.disconnect();
            Restarts.awaitOffline(first);
            List<CompletableFuture<Void>> window = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                window.add(first.broker().publish(Message.of("q/" + (i % 10),
                        ByteBuffer.allocate(64).putInt(i).array(), QoS.AT_LEAST_ONCE, false)));
                if (window.size() == 1000) {
                    CompletableFuture.allOf(window.toArray(new CompletableFuture<?>[0])).join();
                    window.clear();
                }
            }
            CompletableFuture.allOf(window.toArray(new CompletableFuture<?>[0])).join();
            assertEquals(MESSAGES, first.broker().stats().queued());
            assertEquals(MESSAGES, first.broker().stats().queuedOnDisk(), "queued messages were kept in memory");
        }
        try (RunningBroker second = Restarts.start(dir, config -> config.maxQueuedMessages(MESSAGES)
                .maxQueuedBytes(64 << 20))) {
            assertEquals(MESSAGES, second.broker().stats().queuedOnDisk());
            Mqtt5BlockingClient client = Restarts.v5(second, "offline");
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
                assertTrue(client.connectWith().cleanStart(false).sessionExpiryInterval(3600).send()
                        .isSessionPresent());
                for (int i = 0; i < MESSAGES; i++) {
                    Mqtt5Publish publish = publishes.receive(10, TimeUnit.SECONDS).orElseThrow(
                            () -> new AssertionError("a queued message is missing"));
                    assertEquals(i, ByteBuffer.wrap(publish.getPayloadAsBytes()).getInt(), "out of order");
                }
            }
            client.disconnect();
            Restarts.awaitOffline(second);
            assertEquals(0, second.broker().stats().queued());
            assertEquals(0, second.broker().stats().queuedOnDisk());
        }
    }
}
