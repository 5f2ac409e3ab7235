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
 * threads, which must never wait for a sink, so exchanges run on one thread per consumer, in arrival order
 * (which keeps each publisher's order). The stage handed back to the broker completes when the exchange
 * did; it fails when the exchange failed, so the publisher's acknowledgement says so.
 */
final class TributaryConsumer extends DefaultConsumer {

    private final TributaryEndpoint endpoint;
    private ExecutorService executor;
    private InProcessSubscription subscription;

    TributaryConsumer(TributaryEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        executor = endpoint.getCamelContext().getExecutorServiceManager()
                .newSingleThreadExecutor(this, "tributary-" + endpoint.getTopic());
        subscription = endpoint.getComponent().broker()
                .subscribe(endpoint.getTopic(), endpoint.subscribeOptions(), this::onMessage);
    }

    @Override
    protected void doStop() throws Exception {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
        if (executor != null) {
            // Exchanges already handed over finish, so their publishers get an answer.
            endpoint.getCamelContext().getExecutorServiceManager().shutdownGraceful(executor);
            executor = null;
        }
        super.doStop();
    }

    private CompletionStage<Void> onMessage(Message message) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            executor.execute(() -> process(message, done));
        } catch (RuntimeException rejected) {
            done.completeExceptionally(rejected);
        }
        return done;
    }

    private void process(Message message, CompletableFuture<Void> done) {
        Exchange exchange = createExchange(false);
        try {
            MessageBinding.toExchange(message, exchange);
        } catch (RuntimeException e) {
            exchange.setException(e);
        }
        getAsyncProcessor().process(exchange, doneSync -> {
            Exception failure = exchange.getException();
            boolean rolledBack = exchange.isRollbackOnly() || exchange.isRollbackOnlyLast();
            if (failure != null) {
                getExceptionHandler().handleException("Route failed for " + message, exchange, failure);
            }
            releaseExchange(exchange, false);
            if (failure != null) {
                done.completeExceptionally(failure);
            } else if (rolledBack) {
                done.completeExceptionally(new IllegalStateException("the route rolled the exchange back"));
            } else {
                done.complete(null);
            }
        });
    }
}
