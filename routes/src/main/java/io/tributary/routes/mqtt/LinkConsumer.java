package io.tributary.routes.mqtt;

import io.tributary.bridge.camel.ConsumerThreads;
import io.tributary.bridge.camel.ExchangeOutcome;
import io.tributary.bridge.camel.MessageBinding;
import io.tributary.bridge.camel.MqttHeaders;
import io.tributary.bridge.camel.RouteHandOff;
import io.tributary.broker.Message;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

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

    /** QoS 0 messages waiting for the route's thread at most, as for a route from the built-in broker. */
    private static final int MAX_WAITING_QOS0 = 1000;

    private final LinkEndpoint endpoint;
    private final RouteHandOff handOff;
    private ExecutorService executor;
    private AutoCloseable subscription;

    LinkConsumer(LinkEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.handOff = new RouteHandOff(endpoint.describe(), MAX_WAITING_QOS0);
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
        if (handOff.dropsQos0(message)) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        handOff.execute(executor, done, () -> process(message, done));
        return done;
    }

    private void process(Message message, CompletableFuture<Void> done) {
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
