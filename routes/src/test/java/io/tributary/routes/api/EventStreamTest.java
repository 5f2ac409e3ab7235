package io.tributary.routes.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventStreamTest {

    @TempDir
    Path data;

    /** One server-sent event: its name and data, or a comment. */
    record Event(String name, String data, String comment) {
    }

    /** Reads events line by line, as an EventSource does. */
    static final class EventReader {
        private final BufferedReader lines;

        EventReader(InputStream in) {
            this.lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        }

        Event next() throws IOException {
            String name = null;
            StringBuilder data = null;
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (name != null || data != null) {
                        return new Event(name == null ? "message" : name, data == null ? "" : data.toString(), null);
                    }
                    continue;
                }
                if (line.startsWith(":")) {
                    if (name == null && data == null) {
                        return new Event(null, null, line.substring(1).trim());
                    }
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data = (data == null ? new StringBuilder() : data.append('\n')).append(line.substring(5).trim());
                }
            }
            throw new IOException("the stream ended");
        }

        /** The next event that is not a comment. */
        Event nextEvent() throws IOException {
            Event event;
            do {
                event = next();
            } while (event.comment() != null);
            return event;
        }
    }

    static HttpResponse<InputStream> open(ApiFixture fixture, String filter) throws Exception {
        HttpResponse<InputStream> response = fixture.client.send(fixture.request("/api/v1/stream?filter=" + filter)
                .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        return response;
    }

    @Test
    void deliversMessagesInOrderAndUnsubscribesWhenTheClientLeaves() throws Exception {
        try (ApiFixture fixture = ApiFixture.start(data, new HttpApi.Limits(Duration.ofMillis(300), 1000,
                8L * 1024 * 1024, Duration.ofSeconds(30)))) {
            HttpResponse<InputStream> response = open(fixture, "sse/%2B/t");
            EventReader reader = new EventReader(response.body());
            Event first = reader.next();
            assertEquals("subscribed to sse/+/t", first.comment(), "the stream opens with a comment");
            assertEquals(1, fixture.api.openStreams());

            int count = 50;
            for (int i = 0; i < count; i++) {
                fixture.broker.publish(Message.of("sse/" + (i % 3) + "/t", "m" + i, QoS.AT_LEAST_ONCE, false))
                        .get(10, TimeUnit.SECONDS);
            }
            fixture.broker.publish(Message.of("other/topic", "not for the stream", QoS.AT_MOST_ONCE, false))
                    .get(10, TimeUnit.SECONDS);
            for (int i = 0; i < count; i++) {
                Event event = reader.nextEvent();
                assertEquals("message", event.name());
                JsonNode message = ApiJson.MAPPER.readTree(event.data());
                assertEquals("sse/" + (i % 3) + "/t", message.get("topic").asText());
                assertEquals("m" + i, message.get("payload").asText());
                assertEquals(0, message.get("qos").asInt(), "the stream subscribes at QoS 0");
            }
            // Idle now: heartbeats come.
            Event heartbeat = reader.next();
            assertEquals("heartbeat", heartbeat.comment());

            response.body().close();
            awaitNoStream(fixture);
            // Publishing still works with the stream gone.
            fixture.broker.publish(Message.of("sse/0/t", "after", QoS.AT_LEAST_ONCE, false)).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void unsubscribesWhenAnHttp2ClientLeavesToo() throws Exception {
        try (ApiFixture fixture = ApiFixture.start(data)) {
            HttpClient http2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            // The first request upgrades the connection (h2c); the stream is then an HTTP/2 stream.
            assertEquals(200, http2.send(fixture.request("/api/v1/webhooks").GET().build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpResponse<InputStream> response = http2.send(fixture.request("/api/v1/stream?filter=h2/%23").GET()
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(HttpClient.Version.HTTP_2, response.version());
            EventReader reader = new EventReader(response.body());
            assertEquals("subscribed to h2/#", reader.next().comment());
            fixture.broker.publish(Message.of("h2/1", "over h2", QoS.AT_MOST_ONCE, false)).get(10, TimeUnit.SECONDS);
            assertEquals("h2/1", ApiJson.MAPPER.readTree(reader.nextEvent().data()).get("topic").asText());
            assertEquals(1, fixture.api.openStreams());
            response.body().close();
            awaitNoStream(fixture);
        }
    }

    static void awaitNoStream(ApiFixture fixture) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (fixture.api.openStreams() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, fixture.api.openStreams(), "the subscription outlived the client");
    }

    @Test
    void aSlowClientGetsADroppedCountInsteadOfUnboundedBuffering() throws Exception {
        int queued = 5;
        try (ApiFixture fixture = ApiFixture.start(data, new HttpApi.Limits(Duration.ofSeconds(15), queued,
                8L * 1024 * 1024, Duration.ofSeconds(30)))) {
            HttpResponse<InputStream> response = open(fixture, "slow/%23");
            EventReader reader = new EventReader(response.body());
            assertNotNull(reader.next().comment());

            // Far more than the socket buffers and the stream's queue hold, while the client reads nothing.
            String payload = "p".repeat(64 * 1024);
            int published = 600;
            for (int i = 0; i < published; i++) {
                fixture.broker.publish(Message.of("slow/" + i, payload, QoS.AT_MOST_ONCE, false))
                        .get(10, TimeUnit.SECONDS);
            }
            // Let the server fill the connection, then read everything; one last message carries the count.
            Thread.sleep(500);
            fixture.broker.publish(Message.of("slow/last", "last", QoS.AT_MOST_ONCE, false)).get(10, TimeUnit.SECONDS);
            int messages = 0;
            long dropped = 0;
            List<Integer> order = new ArrayList<>();
            while (true) {
                Event event = reader.nextEvent();
                if (event.name().equals("dropped")) {
                    dropped += ApiJson.MAPPER.readTree(event.data()).get("count").asLong();
                    continue;
                }
                String topic = ApiJson.MAPPER.readTree(event.data()).get("topic").asText();
                if (topic.equals("slow/last")) {
                    break;
                }
                order.add(Integer.parseInt(topic.substring("slow/".length())));
                messages++;
            }
            assertTrue(dropped > 0, "nothing was dropped: " + messages + " messages came");
            assertEquals(published, messages + dropped, "every message is either delivered or counted as dropped");
            for (int i = 1; i < order.size(); i++) {
                assertTrue(order.get(i) > order.get(i - 1), "out of order at " + i + ": " + order);
            }
            response.body().close();
        }
    }

    @Test
    void streamWithoutValidFilterIs400() throws Exception {
        try (ApiFixture fixture = ApiFixture.start(data)) {
            HttpResponse<String> missing = fixture.get("/api/v1/stream");
            assertEquals(400, missing.statusCode());
            assertTrue(HttpApiTest.error(missing).contains("'filter' is required"), missing.body());
            HttpResponse<String> invalid = fixture.get("/api/v1/stream?filter=a/%23/b");
            assertEquals(400, invalid.statusCode());
            assertTrue(HttpApiTest.error(invalid).contains("'filter' is not valid"), invalid.body());
            assertEquals(0, fixture.api.openStreams());
        }
    }
}
