package io.tributary.hivemq;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import io.tributary.broker.PayloadRefusedException;
import io.tributary.broker.PublishRejectedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device publish that HiveMQ holds until the routes' stages completed: HiveMQ sends the PUBACK/PUBREC (and serves
 * its own subscribers) only after {@link Async#resume()}. A route that failed prevents the delivery with its reason
 * code, so an MQTT 5 device gets a negative acknowledgement and an MQTT 3.1.1 device is disconnected, and sends again.
 * A payload refused for good (dead-lettered) is acknowledged. The hold's timeout always carries a failure code: HiveMQ
 * would otherwise drop the message and acknowledge it with Success.
 */
final class HeldPublish {

    private static final Logger LOG = LoggerFactory.getLogger(HeldPublish.class);

    private HeldPublish() {
    }

    /** How many holds timed out before the routes finished: their devices got a failure and will send again. */
    static final class Timeouts {
        private final AtomicLong count = new AtomicLong();

        long count() {
            return count.get();
        }
    }

    /**
     * Holds the publish of {@code output} until every stage of {@code holding} completed, or {@code timeout} passed.
     * Must be called in the interceptor's callback.
     */
    static void hold(PublishInboundOutput output, List<CompletableFuture<Void>> holding, Duration timeout,
                     Timeouts timeouts) {
        Async<PublishInboundOutput> async = output.async(timeout, TimeoutFallback.FAILURE,
                AckReasonCode.UNSPECIFIED_ERROR, "Tributary: the routes did not finish within " + timeout);
        CompletableFuture.allOf(holding.toArray(CompletableFuture[]::new))
                .whenComplete((done, failure) -> complete(async, output, failure, timeouts));
    }

    static void complete(Async<PublishInboundOutput> async, PublishInboundOutput output, Throwable failure,
                         Timeouts timeouts) {
        if (async.getStatus() != Async.Status.RUNNING) {
            // HiveMQ answered the device already (failure code, see hold); the route's result comes too late.
            timeouts.count.incrementAndGet();
            return;
        }
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        try {
            if (cause instanceof PayloadRefusedException) {
                LOG.debug("Payload refused for good and dead-lettered, the device is acknowledged: {}",
                        cause.getMessage());
            } else if (cause instanceof PublishRejectedException rejected) {
                output.preventPublishDelivery(AckCodes.of(rejected.reasonCode()), rejected.getMessage());
            } else if (cause != null) {
                output.preventPublishDelivery(AckReasonCode.UNSPECIFIED_ERROR,
                        "Tributary: the route failed: " + cause.getMessage());
            }
        } finally {
            async.resume();
        }
    }
}
