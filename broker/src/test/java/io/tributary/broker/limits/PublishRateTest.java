package io.tributary.broker.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.tributary.broker.clients.RunningBroker;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code max-publish-rate} and {@code max-publish-bytes-rate}: a client publishing faster is slowed to the limit
 * by the broker no longer reading its socket; nothing it sent is lost (QoS 0 included), it stays connected, and
 * another client publishing meanwhile is not held back.
 */
class PublishRateTest {
    private static final String FAST = "fast";

    @Test
    void clientOverTheMessageRateIsSlowedLosingNothingWhileOthersGoOn() throws Exception {
        // 60 messages at 20/s with one second's worth at once: at least two seconds from first to last.
        assertSlowedLosingNothing(20, 0, 60, 8, 1500);
    }

    @Test
    void clientOverTheByteRateIsSlowedLosingNothing() throws Exception {
        // 30 payloads of 100 bytes at 1,000 bytes/s with one second's worth at once: at least two seconds.
        assertSlowedLosingNothing(0, 1000, 30, 100, 1500);
    }

    private static void assertSlowedLosingNothing(int messagesPerSecond, int bytesPerSecond, int count, int size,
                                                  long atLeastMillis) throws Exception {
        try (RunningBroker broker = RunningBroker.start(c -> c.maxPublishRate(messagesPerSecond, bytesPerSecond))) {
            Mqtt5BlockingClient subscriber = client(broker, "subscriber").toBlocking();
            subscriber.connect();
            subscriber.subscribeWith().topicFilter("rate/#").qos(MqttQos.AT_MOST_ONCE).send();
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
                Mqtt5AsyncClient fast = client(broker, FAST);
                fast.connect().join();
                Mqtt5AsyncClient other = client(broker, "other");
                other.connect().join();

                List<CompletableFuture<?>> sent = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    byte[] payload = ByteBuffer.allocate(size).putInt(i).array();
                    sent.add(fast.publishWith().topic("rate/fast").qos(MqttQos.AT_MOST_ONCE).payload(payload).send());
                }
                CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.SECONDS);
                // The first message has arrived: the fast client is being slowed now; the other one is not.
                Mqtt5Publish first = publishes.receive(5, TimeUnit.SECONDS).orElseThrow();
                long firstAt = System.nanoTime();
                assertEquals(0, ByteBuffer.wrap(first.getPayloadAsBytes()).getInt());
                other.publishWith().topic("rate/other").qos(MqttQos.AT_MOST_ONCE).payload(new byte[4]).send().join();

                int next = 1;
                int otherSeenBefore = -1;
                while (next < count || otherSeenBefore < 0) {
                    Mqtt5Publish received = publishes.receive(10, TimeUnit.SECONDS)
                            .orElseThrow(() -> new AssertionError("a message was lost"));
                    if (received.getTopic().toString().equals("rate/other")) {
                        otherSeenBefore = next;
                        continue;
                    }
                    assertEquals(next, ByteBuffer.wrap(received.getPayloadAsBytes()).getInt(), "in order, none lost");
                    next++;
                }
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - firstAt);
                assertTrue(millis >= atLeastMillis, "the fast client's " + count + " messages all arrived within "
                        + millis + " ms: not slowed");
                assertTrue(otherSeenBefore < count, "the other client's message waited for the fast one's: "
                        + otherSeenBefore);
                assertEquals(0, broker.broker().stats().droppedQos0());
                assertTrue(fast.getState().isConnected(), "slowed, not disconnected");
                fast.disconnect().join();
                other.disconnect().join();
            }
            subscriber.disconnect();
        }
    }

    private static Mqtt5AsyncClient client(RunningBroker broker, String id) {
        return MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(broker.port()).buildAsync();
    }
}
