package io.tributary.routes.mqtt;

import io.tributary.bridge.camel.ConsumerThreads;
import io.tributary.bridge.camel.ExchangeOutcome;
import io.tributary.bridge.camel.MessageBinding;
import io.tributary.bridge.camel.MqttHeaders;
import io.tributary.broker.Message;
import io.tributary.broker.QoS;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the messages a link hands to one route into exchanges, on one thread of the route's own, in the order they
 * arrived: the link calls in on the client's I/O thread, which must never wait for a sink. The stage handed back
 * completes when the exchange did, and the link acknowledges the message to the broker then; it fails when the
 * exchange failed, and the message stays with the broker.
 *
 * <p>The thread's queue is bounded by the link's Receive Maximum ({@code max-inflight}) for QoS 1 and 2. QoS 0
 * messages have no such bound, so past {@value #MAX_WAITING_QOS0} waiting they are dropped and counted.
 */
final class LinkConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(LinkConsumer.class);

    /** QoS 0 messages waiting for the route's thread at most, as for a route from the built-in broker. */
    private static final int MAX_WAITING_QOS0 = 1000;

    private final LinkEndpoint endpoint;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong droppedQos0 = new AtomicLong();
    private ExecutorService executor;
    private AutoCloseable subscription;

    LinkConsumer(LinkEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        executor = ConsumerThreads.ordered(this, "tributary-link-" + endpoint.describe());
        subscription = endpoint.link().subscribe(endpoint.subscription(this::onMessage));
    }

    @Override
    protected void doStop() throws Exception {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
        if (executor != null) {
            // Exchanges already handed over finish, so that their messages are acknowledged.
            endpoint.getCamelContext().getExecutorServiceManager().shutdownGraceful(executor);
            executor = null;
        }
        super.doStop();
    }

    private CompletionStage<Void> onMessage(Message message) {
        if (message.qos() == QoS.AT_MOST_ONCE && waiting.get() >= MAX_WAITING_QOS0) {
            if (droppedQos0.getAndIncrement() == 0) {
                LOG.warn("Route from {} is behind: QoS 0 messages are dropped while {} wait (counted from now)",
                        endpoint.describe(), MAX_WAITING_QOS0);
            }
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        waiting.incrementAndGet();
        try {
            executor.execute(() -> process(message, done));
        } catch (RuntimeException stopped) {
            waiting.decrementAndGet();
            done.completeExceptionally(stopped);
        }
        return done;
    }

    private void process(Message message, CompletableFuture<Void> done) {
        waiting.decrementAndGet();
        Exchange exchange = createExchange(false);
        try {
            MessageBinding.toExchange(message, exchange);
            exchange.getIn().setHeader(MqttHeaders.CONNECTION, endpoint.connection());
        } catch (RuntimeException e) {
            exchange.setException(e);
        }
        ExchangeOutcome.process(this, exchange, message.toString(), done);
    }
}
