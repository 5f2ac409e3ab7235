package io.tributary.routes.jdbc;

import java.util.function.Consumer;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * The step of a route that writes its message as a row: it maps the exchange to the row's values on the
 * caller's thread (a message that does not fit fails at once with a {@code MappingException}), queues the row
 * and returns; the {@link BatchWriter} completes the exchange when the row's batch committed or failed.
 *
 * <p>Camel starts and stops this step with its route; its writer's thread starts with the step, and a stopped
 * and started route goes on writing; when
 * the route is removed (a reload replaced it) the step is shut down and releases its writer, which writes the
 * rows still queued first.
 */
final class JdbcSink extends AsyncProcessorSupport {

    private final RowMapper rows;
    private final BatchWriter writer;
    private final Consumer<BatchWriter> release;

    JdbcSink(RowMapper rows, BatchWriter writer, Consumer<BatchWriter> release) {
        this.rows = rows;
        this.writer = writer;
        this.release = release;
    }

    @Override
    protected void doStart() {
        writer.start();
    }

    @Override
    protected void doShutdown() {
        release.accept(writer);
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
