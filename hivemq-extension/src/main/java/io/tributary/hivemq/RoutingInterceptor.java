package io.tributary.hivemq;

import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import java.time.Duration;

/**
 * Offers every publish of a HiveMQ client to the routes' subscriptions, and holds a QoS 1/2 publish until the routes
 * that hold acknowledgements took it ({@link HeldPublish}). HiveMQ calls it on its per-client task executor, one
 * publish of a client at a time; it never blocks: the routes only queue the message onto their own threads.
 */
final class RoutingInterceptor implements PublishInboundInterceptor {

    private final RouteSubscriptions subscriptions;
    private final Duration holdTimeout;
    private final HeldPublish.Timeouts timeouts = new HeldPublish.Timeouts();
    private volatile boolean stopped;

    RoutingInterceptor(RouteSubscriptions subscriptions, Duration holdTimeout) {
        this.subscriptions = subscriptions;
        this.holdTimeout = holdTimeout;
    }

    @Override
    public void onInboundPublish(PublishInboundInput input, PublishInboundOutput output) {
        if (stopped) {
            // No route takes it any more: a QoS 1/2 device must not be acknowledged for it, so it sends again.
            if (input.getPublishPacket().getQos().getQosNumber() > 0) {
                output.preventPublishDelivery(AckReasonCode.UNSPECIFIED_ERROR, "Tributary is stopping");
            }
            return;
        }
        if (!subscriptions.matchesAny(input.getPublishPacket().getTopic())) {
            return; // not routed: no copy of its payload
        }
        Message message = HiveMqMessages.toMessage(input.getPublishPacket(),
                input.getClientInformation().getClientId(), System.currentTimeMillis());
        RouteSubscriptions.Offer offer = subscriptions.offer(message, false);
        if (message.qos() != QoS.AT_MOST_ONCE && !offer.holding().isEmpty()) {
            HeldPublish.hold(output, offer.holding(), holdTimeout, timeouts);
        }
    }

    /** From now on no publish reaches the routes; a QoS 1/2 one is refused instead of acknowledged. */
    void stop() {
        stopped = true;
    }

    long holdTimeouts() {
        return timeouts.count();
    }
}
