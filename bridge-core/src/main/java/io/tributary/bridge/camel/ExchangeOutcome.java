package io.tributary.bridge.camel;

import io.tributary.broker.PayloadRefusedException;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultConsumer;

/**
 * What a completed exchange means for the source that holds its message's acknowledgement: delivered, failed (the
 * message must come again), or dead-lettered for good ({@link PayloadRefusedException}: acknowledged, never sent
 * again). The same for a message of the built-in broker and one of an external broker.
 */
public final class ExchangeOutcome {

    private ExchangeOutcome() {
    }

    /**
     * Runs {@code consumer}'s route on {@code exchange}, then completes {@code done} as the outcome says: normally
     * when delivered, else with {@link #failureOf}. A failure is first handed to the consumer's exception handler.
     *
     * @param what names the message in that handler's line
     */
    public static void process(DefaultConsumer consumer, Exchange exchange, String what, CompletableFuture<Void> done) {
        consumer.getAsyncProcessor().process(exchange, doneSync -> {
            if (exchange.getException() != null) {
                consumer.getExceptionHandler().handleException("Route failed for " + what, exchange,
                        exchange.getException());
            }
            Throwable failure = failureOf(exchange);
            consumer.releaseExchange(exchange, false);
            if (failure != null) {
                done.completeExceptionally(failure);
            } else {
                done.complete(null);
            }
        });
    }

    /** Null when the route delivered the message; else why it did not, as its source's stage should fail. */
    public static Throwable failureOf(Exchange exchange) {
        Exception failure = exchange.getException();
        if (failure != null) {
            return failure;
        }
        if (exchange.isRollbackOnly() || exchange.isRollbackOnlyLast()) {
            return new IllegalStateException("the route rolled the exchange back");
        }
        String refused = exchange.getProperty(PayloadRefusal.PROPERTY, String.class);
        // Dead-lettered for good: the source acknowledges the message and, if it can, says the payload was refused.
        return refused == null ? null : new PayloadRefusedException(refused);
    }
}
