package io.tributary.routes.jdbc;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;

/**
 * A row waiting for its batch, with the exchange it came from and the callback that completes that exchange.
 *
 * @param values the converted column values, in column order
 * @param queuedAtNanos {@link System#nanoTime()} when it was queued, from which its batch's time counts
 */
record PendingRow(Exchange exchange, AsyncCallback callback, Object[] values, long queuedAtNanos) {

    /** Completes the exchange: delivered. */
    void succeeded() {
        callback.done(false);
    }

    /** Completes the exchange with {@code failure}, which the route's retries and dead letters act on. */
    void failed(Exception failure) {
        exchange.setException(failure);
        callback.done(false);
    }
}
