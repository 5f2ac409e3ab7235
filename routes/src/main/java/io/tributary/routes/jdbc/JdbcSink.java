package io.tributary.routes.jdbc;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * The step of a route that writes its message as a row: it maps the exchange to the row's values on the
 * caller's thread (a message that does not fit fails at once with a {@code MappingException}), queues the row
 * and returns; the {@link BatchWriter} completes the exchange when the row's batch committed or failed.
 *
 * <p>Camel starts and stops this step with its route; the writer behind it lives as long as the
 * {@link JdbcSinks} that made it, so a stopped and started route goes on writing.
 */
final class JdbcSink extends AsyncProcessorSupport {

    private final RowMapper rows;
    private final BatchWriter writer;

    JdbcSink(RowMapper rows, BatchWriter writer) {
        this.rows = rows;
        this.writer = writer;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Object[] values;
        try {
            values = rows.row(exchange);
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        if (!writer.offer(new PendingRow(exchange, callback, values, System.nanoTime()))) {
            exchange.setException(writer.refusal());
            callback.done(true);
            return true;
        }
        return false;
    }

    /** What this sink has written so far. */
    WriterStatistics statistics() {
        return writer.statistics();
    }

    @Override
    public String toString() {
        return "JdbcSink[" + writer + "]";
    }
}
