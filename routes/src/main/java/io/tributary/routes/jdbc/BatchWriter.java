package io.tributary.routes.jdbc;

import io.tributary.routes.spi.MappingException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one sink's rows to its table on a thread of its own, in batches: a batch takes up to
 * {@code batchSize} rows, waiting at most {@code batchTime} after its first row was queued (at zero, not at all:
 * what is queued when the writer is free is the batch, a group commit), and is written in one transaction
 * ({@code executeBatch}, then commit). Then every exchange of the batch completes, on this
 * thread: delivered once the commit returned, failed with the reason otherwise, so that the route's retries
 * and dead letters act on each message. Rows queued while a batch is written wait for the next one, so under
 * load batches fill up without waiting.
 *
 * <p>When the database refuses a batch because of its rows (a value too long, a duplicate key), the rows are
 * written one by one instead, so that one bad row does not hold back the others; a row the database calls a
 * data exception (SQLSTATE class 22) is then a {@link MappingException}, not retried.
 *
 * <p>The queue is bounded ({@code capacity}); offering to a full or closed queue is refused, never waited
 * for, so the caller's thread (the route's, the broker's) never blocks here.
 */
final class BatchWriter {

    private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);
    private static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final String name;
    private final DataSource dataSource;
    private final TableStatements statements;
    private final int batchSize;
    private final long batchTimeNanos;
    private final BlockingQueue<PendingRow> queue;
    private final Thread thread;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong rows = new AtomicLong();
    private final AtomicInteger largestBatch = new AtomicInteger();
    private volatile boolean closed;
    /** Writer thread only: whether {@code CREATE TABLE IF NOT EXISTS} has run, when the sink creates its table. */
    private boolean tableReady;
    /** Writer thread only: batches that failed since the last one that was written, to log changes only. */
    private int failuresInARow;

    /**
     * @param name names the sink in logs and its thread: {@code connection/table}
     * @param capacity rows queued at most
     */
    BatchWriter(String name, DataSource dataSource, TableStatements statements, int batchSize, Duration batchTime,
                int capacity) {
        this.name = name;
        this.dataSource = dataSource;
        this.statements = statements;
        this.batchSize = batchSize;
        this.batchTimeNanos = batchTime.toNanos();
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.tableReady = statements.createTable().isEmpty();
        this.thread = new Thread(this::run, "tributary-jdbc-" + name);
        // The bridge closes it; it must never keep a JVM alive by itself.
        this.thread.setDaemon(true);
    }

    /** Starts the writer thread; later calls do nothing. */
    synchronized void start() {
        if (thread.getState() == Thread.State.NEW) {
            thread.start();
        }
    }

    /**
     * Queues a row for the next batch.
     *
     * @return false, at once, when the queue is full or the writer is closed: the row is not taken
     */
    synchronized boolean offer(PendingRow row) {
        return !closed && queue.offer(row);
    }

    /** Why {@link #offer} refused a row: an exception for the exchange, which the route retries. */
    JdbcWriteException refusal() {
        return new JdbcWriteException(closed ? "table " + statements.table() + ": the sink is closed"
                : "table " + statements.table() + ": " + queue.size() + " rows are waiting for the database already",
                null);
    }

    /** Batches committed, rows committed, the largest batch: for metrics and tests. */
    WriterStatistics statistics() {
        return new WriterStatistics(batches.get(), rows.get(), largestBatch.get());
    }

    /** Takes no more rows; the thread writes those queued, without waiting for their batch time, and ends. */
    synchronized void stopTaking() {
        closed = true;
    }

    /** Whether it stopped taking rows and its thread has ended (or never started). */
    boolean isFinished() {
        return closed && !thread.isAlive();
    }

    /**
     * Takes no more rows, writes those queued without waiting for their batch time, and stops; rows still
     * queued after {@code timeout} fail.
     */
    void close(Duration timeout) {
        stopTaking();
        try {
            thread.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("JDBC sink {}: still writing after {} s; the rows still queued fail", name, timeout.toSeconds());
            thread.interrupt();
        }
        List<PendingRow> left = new ArrayList<>();
        queue.drainTo(left);
        fail(left, () -> new JdbcWriteException("table " + statements.table()
                + ": the sink closed before the row was written", null));
    }

    private void run() {
        if (!tableReady) {
            try (Connection connection = dataSource.getConnection()) {
                ensureTable(connection);
            } catch (SQLException e) {
                LOG.warn("JDBC sink {}: the table could not be created yet, tried again before the first batch: {}",
                        name, SqlFailures.describe(e));
            } catch (RuntimeException | Error e) {
                LOG.warn("JDBC sink {}: the table could not be created yet, tried again before the first batch", name,
                        e);
            }
        }
        List<PendingRow> batch = new ArrayList<>(Math.min(batchSize, 10_000));
        while (true) {
            PendingRow first;
            try {
                first = queue.poll(IDLE_POLL_NANOS, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            if (first == null) {
                if (closed) {
                    return;
                }
                continue;
            }
            batch.add(first);
            try {
                fill(batch, first.queuedAtNanos() + batchTimeNanos);
            } catch (InterruptedException e) {
                // Closing past its timeout: write what was taken, so that no exchange is left without an answer.
            }
            write(batch);
            batch.clear();
        }
    }

    /**
     * Adds queued rows to the batch until it is full or its time is up; at once when closing (waiting in
     * slices, so that a close is seen within one).
     */
    private void fill(List<PendingRow> batch, long deadline) throws InterruptedException {
        while (batch.size() < batchSize) {
            queue.drainTo(batch, batchSize - batch.size());
            long wait = deadline - System.nanoTime();
            if (batch.size() >= batchSize || closed || wait <= 0) {
                return;
            }
            PendingRow next = queue.poll(Math.min(wait, IDLE_POLL_NANOS), TimeUnit.NANOSECONDS);
            if (next != null) {
                batch.add(next);
            }
        }
    }

    private void write(List<PendingRow> batch) {
        try {
            writeInOneTransaction(batch);
        } catch (SQLException e) {
            if (SqlFailures.isAboutTheRows(e) && batch.size() > 1) {
                LOG.debug("JDBC sink {}: the database refused a batch of {} because of its rows ({}); writing them"
                        + " one by one", name, batch.size(), SqlFailures.describe(e));
                batch.forEach(this::writeAlone);
            } else {
                batchFailed(batch, e);
            }
            return;
        } catch (RuntimeException | Error e) {
            // Whatever a driver throws, the thread goes on and every exchange of the batch gets its answer.
            LOG.error("JDBC sink {}: a batch of {} failed unexpectedly", name, batch.size(), e);
            fail(batch, () -> new JdbcWriteException("table " + statements.table() + ": " + e, e));
            return;
        }
        written(batch);
    }

    private void writeAlone(PendingRow row) {
        List<PendingRow> one = List.of(row);
        try {
            writeInOneTransaction(one);
        } catch (SQLException e) {
            if (SqlFailures.isAboutTheData(e)) {
                fail(one, () -> new MappingException("table " + statements.table()
                        + ": the database refused the row: " + SqlFailures.describe(e)));
            } else {
                batchFailed(one, e);
            }
            return;
        } catch (RuntimeException | Error e) {
            LOG.error("JDBC sink {}: a row failed unexpectedly", name, e);
            fail(one, () -> new JdbcWriteException("table " + statements.table() + ": " + e, e));
            return;
        }
        written(one);
    }

    private void writeInOneTransaction(List<PendingRow> batch) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            ensureTable(connection);
            if (connection.getAutoCommit()) {
                connection.setAutoCommit(false);
            }
            try (PreparedStatement statement = connection.prepareStatement(statements.write())) {
                for (PendingRow row : batch) {
                    statements.bind(statement, row.values());
                    statement.addBatch();
                }
                statement.executeBatch();
                connection.commit();
            } catch (SQLException | RuntimeException | Error e) {
                rollback(connection, e);
                throw e;
            }
        }
    }

    private void ensureTable(Connection connection) throws SQLException {
        if (tableReady) {
            return;
        }
        String create = statements.createTable().orElseThrow();
        try (Statement statement = connection.createStatement()) {
            statement.execute(create);
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        } catch (SQLException e) {
            rollback(connection, e);
            throw e;
        }
        tableReady = true;
        LOG.info("JDBC sink {}: table ready ({})", name, create);
    }

    private void written(List<PendingRow> batch) {
        batches.incrementAndGet();
        rows.addAndGet(batch.size());
        largestBatch.accumulateAndGet(batch.size(), Math::max);
        if (failuresInARow > 0) {
            LOG.info("JDBC sink {}: writing again after {} failed batch(es)", name, failuresInARow);
            failuresInARow = 0;
        }
        for (PendingRow row : batch) {
            try {
                row.succeeded();
            } catch (RuntimeException | Error e) {
                LOG.warn("JDBC sink {}: completing an exchange failed", name, e);
            }
        }
    }

    private void batchFailed(List<PendingRow> batch, SQLException e) {
        String reason = SqlFailures.describe(e);
        if (failuresInARow++ == 0) {
            LOG.warn("JDBC sink {}: writing failed, the route retries its messages: {}", name, reason);
        }
        String message = "table " + statements.table() + ": " + reason;
        for (PendingRow row : batch) {
            completeFailed(row, new JdbcWriteException(message, e));
        }
    }

    /** Fails each row with an exception of its own: the route may add to it per exchange. */
    private void fail(List<PendingRow> batch, Supplier<Exception> failure) {
        for (PendingRow row : batch) {
            completeFailed(row, failure.get());
        }
    }

    private void completeFailed(PendingRow row, Exception failure) {
        try {
            row.failed(failure);
        } catch (RuntimeException | Error e) {
            LOG.warn("JDBC sink {}: completing an exchange failed", name, e);
        }
    }

    @Override
    public String toString() {
        return name;
    }

    private static void rollback(Connection connection, Throwable cause) {
        try {
            if (!connection.isClosed() && !connection.getAutoCommit()) {
                connection.rollback();
            }
        } catch (SQLException | RuntimeException | Error e) {
            cause.addSuppressed(e);
        }
    }
}
