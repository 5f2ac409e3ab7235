package io.tributary.bench.sinkservers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.bench.kafka.TelemetryPayload;
import io.tributary.bench.load.Receipts;
import io.tributary.bench.load.RunClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class WebhookServerTest {

    @Test
    void answers204AndCountsEveryMessageOnceDuplicatesApart() throws Exception {
        try (WebhookServer server = WebhookServer.start(4, 2)) {
            long now = System.nanoTime();
            server.useClock(new RunClock(now - 1_000_000_000L, 0, 10_000_000_000L));
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI uri = URI.create(server.url());
            byte[][] bodies = {
                TelemetryPayload.encode(128, 0, 0, now),
                TelemetryPayload.encode(128, 0, 1, now),
                TelemetryPayload.encode(128, 1, 0, now),
                TelemetryPayload.encode(128, 0, 1, now),  // again
                TelemetryPayload.encode(128, -1, 0, now), // a probe
                "not ours".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            };
            for (byte[] body : bodies) {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(uri)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.discarding());
                assertEquals(204, response.statusCode());
            }

            assertEquals(6, server.requests());
            Receipts received = server.receipts();
            assertEquals(3, received.unique());
            assertEquals(1, received.duplicates());
            assertEquals(1, received.malformed());
            assertEquals(2, received.seen(0).cardinality());
            assertEquals(4, server.latency().samples(), "the three messages and the duplicate, not the probe");
            assertEquals(1, server.probes());
            assertTrue(server.url().startsWith("http://127.0.0.1:" + server.port() + "/hook"));
        }
    }
}
