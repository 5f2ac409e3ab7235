package io.tributary.routes.http;

import io.tributary.testsupport.http.WebhookServer;
import io.tributary.testsupport.await.Await;
import static io.tributary.routes.http.WebhookBridge.route;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.bridge.config.RetrySettings;
import io.tributary.bridge.config.RouteSink;
import io.tributary.bridge.mapping.Template;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A route has at most its {@code concurrency} requests in flight, and uses them all while messages wait. */
class WebhookConcurrencyTest {

    @TempDir
    Path data;

    @Test
    void concurrencyLimitIsReachedAndNeverExceeded() throws Exception {
        int limit = 3;
        int messages = 30;
        CountDownLatch full = new CountDownLatch(limit);
        try (WebhookServer server = WebhookServer.start()) {
            server.script("/limited", (request, index) -> {
                full.countDown();
                // The first requests hold until all slots are taken: the route's one thread did not wait for them.
                full.await(10, TimeUnit.SECONDS);
                Await.sleep(20);
                return WebhookServer.Answer.status(200);
            });
            RouteSink.Http sink = new RouteSink.Http(Template.parse(server.url("/limited/{n}")), "POST",
                    RouteSink.WebhookFormat.RAW, Duration.ofSeconds(10), limit, Map.of(), Optional.empty());
            try (WebhookBridge bridge = WebhookBridge.start(data,
                    List.of(route("limited", "limited/{n}", sink, RetrySettings.defaults(), false)), Map.of())) {
                List<CompletableFuture<Void>> acks = new ArrayList<>();
                for (int i = 0; i < messages; i++) {
                    acks.add(bridge.publish("limited/" + i, "m" + i));
                }
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            }
            assertEquals(limit, server.maxConcurrent("/limited"));
            Set<String> paths = new HashSet<>();
            server.requests("/limited").forEach(request -> paths.add(request.path()));
            assertEquals(messages, server.requests("/limited").size());
            assertEquals(messages, paths.size());
        }
    }
}
