package io.tributary.hivemq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import io.tributary.broker.PayloadRefusedException;
import io.tributary.broker.PublishRejectedException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** What a held publish tells HiveMQ for each outcome of its routes; HiveMQ's output is a recording stand-in. */
class HeldPublishTest {

    private final List<String> calls = new ArrayList<>();
    private Async.Status status = Async.Status.RUNNING;
    private final HeldPublish.Timeouts timeouts = new HeldPublish.Timeouts();

    @Test
    void theHoldFailsWithUnspecifiedErrorWhenItTimesOut() {
        CompletableFuture<Void> route = new CompletableFuture<>();

        HeldPublish.hold(output(), List.of(route), Duration.ofSeconds(30), timeouts);

        assertEquals(List.of("async PT30S FAILURE UNSPECIFIED_ERROR Tributary: the routes did not finish within PT30S"),
                calls);
    }

    @Test
    void aDeliveredMessageResumesThePublish() {
        CompletableFuture<Void> route = new CompletableFuture<>();
        HeldPublish.hold(output(), List.of(route, CompletableFuture.completedFuture(null)), Duration.ofSeconds(30),
                timeouts);
        calls.clear();

        route.complete(null);

        assertEquals(List.of("resume"), calls);
    }

    @Test
    void aRejectionPreventsDeliveryWithItsReasonCode() {
        HeldPublish.complete(async(), output(), new CompletionException(new PublishRejectedException(0x97, "quota")),
                timeouts);

        assertEquals(List.of("preventPublishDelivery QUOTA_EXCEEDED quota", "resume"), calls);
    }

    @Test
    void anyOtherFailurePreventsDeliveryWithUnspecifiedError() {
        HeldPublish.complete(async(), output(), new IllegalStateException("Kafka down"), timeouts);

        assertEquals(List.of("preventPublishDelivery UNSPECIFIED_ERROR Tributary: the route failed: Kafka down",
                "resume"), calls);
    }

    @Test
    void aPayloadRefusedForGoodIsAcknowledged() {
        HeldPublish.complete(async(), output(), new PayloadRefusedException("no field 'site'"), timeouts);

        assertEquals(List.of("resume"), calls);
    }

    @Test
    void aResultAfterTheTimeoutChangesNothingAndIsCounted() {
        status = Async.Status.CANCELED;

        HeldPublish.complete(async(), output(), null, timeouts);

        assertEquals(List.of(), calls);
        assertEquals(1, timeouts.count());
    }

    private PublishInboundOutput output() {
        return (PublishInboundOutput) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PublishInboundOutput.class}, (proxy, method, args) -> {
                    calls.add(method.getName() + (args == null ? "" : " " + String.join(" ",
                            Arrays.stream(args).map(String::valueOf).toList())));
                    return method.getName().equals("async") ? async() : null;
                });
    }

    @SuppressWarnings("unchecked")
    private Async<PublishInboundOutput> async() {
        return (Async<PublishInboundOutput>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Async.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getStatus" -> status;
                    case "resume" -> {
                        calls.add("resume");
                        yield null;
                    }
                    default -> null;
                });
    }
}
