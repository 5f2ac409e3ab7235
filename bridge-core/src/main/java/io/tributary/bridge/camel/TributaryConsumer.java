package io.tributary.bridge.camel;

import io.tributary.broker.InProcessSubscription;
import io.tributary.broker.Message;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

/**
 * Subscribes to the broker and turns each message into an exchange. The broker calls in on its I/O
 * threads, which must never wait for a sink, so exchanges start on the consumer's worker threads
 * ({@code workers}, one by default). Every message of one publisher (of one topic, for messages without a
 * publisher) goes to the same worker, which starts them in arrival order: that keeps each publisher's order,
 * while the messages of different publishers start in parallel. The stage handed back to the broker completes
 * when the exchange did; it fails when the exchange failed, so the publisher's acknowledgement says so.
 *
 * <p>The queue of that thread is bounded by flow control, not by a fixed size: a QoS 1/2 message enters it
 * only within its publisher's in-flight window, and the broker stops acknowledging publishers while this
 * consumer has {@code maxInFlight} exchanges open. QoS 0 messages have no window, so past
 * {@code maxInFlight} waiting ones they are dropped and counted, as the broker does for a slow subscriber.
 *
 * <p>With a {@link MessageBuffer} ({@code ack: buffer}), the broker's messages go to the buffer, whose stage says
 * when the publisher is acknowledged, and the route's thread takes the messages the buffer forwards instead.
 *
 * <p>With a {@link DirectDelivery} (and no buffer), the worker offers each message to it first and creates no
 * exchange for a message it delivered. One it could not deliver goes down the route as an exchange, on the same
 * worker: at once when the direct delivery failed before sending, else once the sink reported the failure, behind
 * the messages the worker took meanwhile (as the route's own asynchronous retries do).
 */
final class TributaryConsumer extends DefaultConsumer {

    private final TributaryEndpoint endpoint;
    private final RouteHandOff handOff;
    private volatile ExecutorService[] executors;
    private InProcessSubscription subscription;
    private MessageBuffer.Forwarder forwarder;
    private volatile DirectDelivery direct;

    TributaryConsumer(TributaryEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.handOff = new RouteHandOff(endpoint.getTopic(), endpoint.getMaxInFlight());
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // First, so that a direct delivery that cannot start (its producer's settings) leaves no thread behind.
        DirectDelivery directly = endpoint.getBuffer() == null ? endpoint.getDirectDelivery() : null;
        if (directly != null) {
            directly.start();
        }
        direct = directly;
        String name = "tributary-" + endpoint.getTopic();
        ExecutorService[] pools = new ExecutorService[endpoint.getWorkers()];
        for (int i = 0; i < pools.length; i++) {
            pools[i] = ConsumerThreads.ordered(this, pools.length == 1 ? name : name + "-" + i);
        }
        executors = pools;
        MessageBuffer buffer = endpoint.getBuffer();
        if (buffer == null) {
            subscription = endpoint.getComponent().broker()
                    .subscribe(endpoint.getTopic(), endpoint.subscribeOptions(), this::onMessage);
            return;
        }
        forwarder = this::forward;
        buffer.attach(forwarder);
        subscription = endpoint.getComponent().broker()
                .subscribe(endpoint.getTopic(), endpoint.subscribeOptions(), buffer::offer);
    }

    @Override
    protected void doStop() throws Exception {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
        if (forwarder != null) {
            endpoint.getBuffer().detach(forwarder);
            forwarder = null;
        }
        if (direct != null) {
            // Before the workers: a direct delivery that fails now still needs them to go down the route.
            direct.stop();
            direct = null;
        }
        if (executors != null) {
            // Exchanges already handed over finish, so their publishers get an answer. The subscription's close
            // returned once no offer was under way: later ones go to the subscribers matching then, not here.
            for (ExecutorService executor : executors) {
                endpoint.getCamelContext().getExecutorServiceManager().shutdownGraceful(executor);
            }
        }
        super.doStop();
    }

    /** Messages handed over and not yet taken by the route's thread. */
    int waitingCount() {
        return handOff.waiting();
    }

    private CompletionStage<Void> onMessage(Message message) {
        if (handOff.dropsQos0(message)) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        // Closing the subscription waits for offers under way, so a stopped pool should not see one; if it does,
        // the publisher is not acknowledged for a message no route took.
        handOff.execute(workerOf(executors, message), done, () -> process(message, done));
        return done;
    }

    /** A message the buffer forwards: down the route on its thread, as a message from the broker would go. */
    private CompletionStage<Void> forward(Message message) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ExecutorService[] routeThreads = executors;
        if (routeThreads == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("the route is stopped"));
        }
        handOff.execute(workerOf(routeThreads, message), done, () -> process(message, done));
        return done;
    }

    /** The worker of the message's publisher, or of its topic when it has none (the in-process API). */
    static ExecutorService workerOf(ExecutorService[] workers, Message message) {
        if (workers.length == 1) {
            return workers[0];
        }
        String key = message.publisherId() != null ? message.publisherId() : message.topic();
        return workers[Math.floorMod(key.hashCode(), workers.length)];
    }

    private void process(Message message, CompletableFuture<Void> done) {
        DirectDelivery directly = direct;
        if (directly == null) {
            processExchange(message, done);
            return;
        }
        CompletableFuture<Void> delivered;
        try {
            delivered = directly.deliver(message).toCompletableFuture();
        } catch (RuntimeException e) {
            delivered = CompletableFuture.failedFuture(e);
        }
        if (delivered.isCompletedExceptionally()) {
            processExchange(message, done);
            return;
        }
        delivered.whenComplete((ok, failure) -> {
            if (failure == null) {
                done.complete(null);
            } else {
                exchangeLater(message, done);
            }
        });
    }

    /** Sends a message the direct delivery failed down the route, on its worker: the caller is the sink's thread. */
    private void exchangeLater(Message message, CompletableFuture<Void> done) {
        // If the route stopped meanwhile, the publisher is not acknowledged, and sends the message again.
        handOff.execute(workerOf(executors, message), done, () -> processExchange(message, done));
    }

    private void processExchange(Message message, CompletableFuture<Void> done) {
        Exchange exchange = createExchange(false);
        try {
            MessageBinding.toExchange(message, exchange);
        } catch (RuntimeException e) {
            exchange.setException(e);
        }
        // A refused payload fails the stage with PayloadRefusedException: the broker acknowledges the publisher and
        // says the payload was refused.
        ExchangeOutcome.process(this, exchange, message.toString(), done);
    }
}
