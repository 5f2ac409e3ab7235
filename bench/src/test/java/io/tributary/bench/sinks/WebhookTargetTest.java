package io.tributary.bench.sinks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.bench.kafka.TelemetryPayload;
import io.tributary.bench.load.Receipts;
import io.tributary.bench.load.RunClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookTargetTest {

    @Test
    void answers204AndCountsEveryMessageOnceDuplicatesApart() throws Exception {
        WebhookTarget target = WebhookTarget.start(4, 2, 16);
        try {
            long now = System.nanoTime();
            target.useClock(new RunClock(now - 1_000_000_000L, 0, 10_000_000_000L));
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI uri = URI.create(target.url());
            byte[][] bodies = {
                TelemetryPayload.encode(128, 0, 0, now),
                TelemetryPayload.encode(128, 0, 1, now),
                TelemetryPayload.encode(128, 1, 0, now),
                TelemetryPayload.encode(128, 0, 1, now),  // again
                TelemetryPayload.encode(128, -1, 0, now), // a probe
                "not ours".getBytes(StandardCharsets.US_ASCII),
            };
            for (byte[] body : bodies) {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(uri)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.discarding());
                assertEquals(204, response.statusCode());
            }

            assertEquals(6, target.count());
            Receipts received = target.received(2);
            assertEquals(3, received.unique());
            assertEquals(1, received.duplicates());
            assertEquals(1, received.malformed());
            assertEquals(2, received.seen(0).cardinality());
            assertEquals(4, target.arrivalLatency().samples(), "the three messages and the duplicate, not the probe");
            assertEquals("1", target.facts().get("of them probes (sent before the run, not counted)"));
            assertTrue(target.url().startsWith("http://127.0.0.1:" + target.port() + "/hook"));
            assertTrue(target.routeConfig().contains(target.url()), target.routeConfig());
        } finally {
            target.finish();
        }
    }
}
