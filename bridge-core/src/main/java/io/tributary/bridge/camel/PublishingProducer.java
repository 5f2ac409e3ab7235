package io.tributary.bridge.camel;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;

/**
 * A producer that publishes each exchange's message to a broker, the built-in one or an external one, and completes
 * the exchange when the publish's stage does, failed with its error: no thread waits for the broker.
 */
public abstract class PublishingProducer extends DefaultAsyncProducer {

    protected PublishingProducer(Endpoint endpoint) {
        super(endpoint);
    }

    /**
     * Publishes the message of {@code exchange}.
     *
     * @return completes when the broker has the message, fails when it will not take it
     * @throws Exception when the exchange holds no message that can be published
     */
    protected abstract CompletionStage<?> publish(Exchange exchange) throws Exception;

    @Override
    public final boolean process(Exchange exchange, AsyncCallback callback) {
        try {
            publish(exchange).whenComplete((ignored, failure) -> {
                if (failure != null) {
                    exchange.setException(failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure);
                }
                callback.done(false);
            });
            return false;
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
    }
}
