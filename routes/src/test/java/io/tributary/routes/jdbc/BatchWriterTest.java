package io.tributary.routes.jdbc;

import static io.tributary.routes.jdbc.Rows.column;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.bridge.config.RouteSink.ColumnType;
import io.tributary.bridge.config.RouteSink;
import io.tributary.routes.spi.MappingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How a sink's rows are grouped into transactions, counted at the database's connections: a batch is written
 * when it is full or when its first row has waited the batch time, and the exchanges complete after the commit.
 */
class BatchWriterTest {

    private static final long WAIT_SECONDS = 10;
    private static final Duration LONG = Duration.ofSeconds(60);

    CamelContext context;
    CountingDataSource database;
    List<BatchWriter> writers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        context = new DefaultCamelContext();
        context.start();
        database = new CountingDataSource();
        database.execute("CREATE TABLE readings (device VARCHAR(5) NOT NULL PRIMARY KEY, seq INTEGER)");
    }

    @AfterEach
    void stop() {
        database.gate = null;
        writers.forEach(writer -> writer.close(Duration.ofSeconds(5)));
        context.stop();
    }

    @Test
    void fullBatchesAreWrittenWithoutWaitingForTheBatchTime() throws Exception {
        JdbcSink sink = sink(50, LONG, 1000);
        List<CompletableFuture<Exchange>> sent = new ArrayList<>();
        long startedAt = System.nanoTime();
        for (int i = 0; i < 200; i++) {
            sent.add(send(sink, "d" + i, i));
        }
        for (CompletableFuture<Exchange> done : sent) {
            assertNull(done.get(WAIT_SECONDS, TimeUnit.SECONDS).getException());
        }
        assertTrue(System.nanoTime() - startedAt < TimeUnit.SECONDS.toNanos(WAIT_SECONDS));
        assertEquals(4, database.commits.get(), "transactions");
        assertEquals(new WriterStatistics(4, 200, 50), sink.statistics());
        assertEquals(200L, database.query("SELECT COUNT(*) FROM readings"));
    }

    @Test
    void aBatchThatDoesNotFillIsWrittenOnceItsFirstRowWaitedTheBatchTime() throws Exception {
        Duration batchTime = Duration.ofMillis(400);
        JdbcSink sink = sink(1000, batchTime, 1000);
        long startedAt = System.nanoTime();
        List<CompletableFuture<Exchange>> first = List.of(send(sink, "a", 1), send(sink, "b", 2), send(sink, "c", 3));
        Thread.sleep(150);
        assertFalse(first.stream().anyMatch(CompletableFuture::isDone), "completed before the batch time");
        assertEquals(0, database.commits.get());

        for (CompletableFuture<Exchange> done : first) {
            assertNull(done.get(WAIT_SECONDS, TimeUnit.SECONDS).getException());
        }
        long waited = System.nanoTime() - startedAt;
        assertTrue(waited >= batchTime.toNanos(), "written after " + waited / 1_000_000 + " ms");
        assertEquals(1, database.commits.get(), "one transaction for the three rows");

        send(sink, "d", 4).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(2, database.commits.get(), "the next row starts a batch of its own");
        assertEquals(new WriterStatistics(2, 4, 3), sink.statistics());
    }

    @Test
    void whenTheDatabaseIsDownEveryExchangeOfTheBatchFailsAndTheNextBatchSucceedsWhenItIsBack() throws Exception {
        JdbcSink sink = sink(10, Duration.ofMillis(50), 1000);
        database.down.set(true);
        List<CompletableFuture<Exchange>> sent = List.of(send(sink, "a", 1), send(sink, "b", 2));
        for (CompletableFuture<Exchange> done : sent) {
            Exception failure = done.get(WAIT_SECONDS, TimeUnit.SECONDS).getException();
            assertInstanceOf(JdbcWriteException.class, failure);
            assertTrue(failure.getMessage().contains("table readings: the database is down (test) (SQLSTATE 08001)"),
                    failure.getMessage());
        }
        database.down.set(false);
        assertNull(send(sink, "a", 1).get(WAIT_SECONDS, TimeUnit.SECONDS).getException());
        assertEquals(1L, database.query("SELECT COUNT(*) FROM readings"));
    }

    @Test
    void evenAnErrorFromTheDriverFailsTheBatchAndTheWriterGoesOn() throws Exception {
        JdbcSink sink = sink(10, Duration.ofMillis(10), 1000);
        database.error = new AssertionError("should not throw (test)");
        Exception failure = send(sink, "a", 1).get(WAIT_SECONDS, TimeUnit.SECONDS).getException();
        assertInstanceOf(JdbcWriteException.class, failure);
        assertTrue(failure.getMessage().contains("should not throw (test)"), failure.getMessage());
        database.error = null;
        assertNull(send(sink, "a", 1).get(WAIT_SECONDS, TimeUnit.SECONDS).getException());
    }

    @Test
    void aRowTheDatabaseRefusesFailsAloneAndTheRestOfItsBatchIsWritten() throws Exception {
        JdbcSink sink = sink(10, LONG, 1000);
        database.execute("INSERT INTO readings VALUES ('dup', 0)");
        List<CompletableFuture<Exchange>> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String device = i == 3 ? "too-long" : i == 6 ? "dup" : "d" + i;
            sent.add(send(sink, device, i));
        }
        for (int i = 0; i < 10; i++) {
            Exception failure = sent.get(i).get(WAIT_SECONDS, TimeUnit.SECONDS).getException();
            if (i == 3) {
                // A data exception: retrying cannot help, so it goes to the dead letter at once.
                assertInstanceOf(MappingException.class, failure);
                assertTrue(failure.getMessage().startsWith("table readings: the database refused the row: "),
                        failure.getMessage());
                assertTrue(failure.getMessage().contains("SQLSTATE 22001"), failure.getMessage());
                assertFalse(failure.getMessage().contains("INSERT"), "no statement in " + failure.getMessage());
            } else if (i == 6) {
                assertInstanceOf(JdbcWriteException.class, failure);
                assertTrue(failure.getMessage().contains("SQLSTATE 23505"), failure.getMessage());
            } else {
                assertNull(failure, "row " + i);
            }
        }
        assertEquals(9L, database.query("SELECT COUNT(*) FROM readings"));
    }

    @Test
    void aFullQueueRefusesAtOnceInsteadOfBlockingTheCaller() throws Exception {
        JdbcSink sink = sink(1, Duration.ZERO, 2);
        CountDownLatch gate = new CountDownLatch(1);
        database.gate = gate;
        CompletableFuture<Exchange> taken = send(sink, "a", 1);
        // The writer holds "a" while it waits for a connection; two more fit in the queue.
        waitUntil(() -> database.connectionRequests.get() == 1);
        CompletableFuture<Exchange> second = send(sink, "b", 2);
        CompletableFuture<Exchange> third = send(sink, "c", 3);
        long before = System.nanoTime();
        CompletableFuture<Exchange> refused = send(sink, "d", 4);
        assertTrue(refused.isDone(), "the caller waited");
        assertTrue(System.nanoTime() - before < TimeUnit.SECONDS.toNanos(1));
        Exception failure = refused.get().getException();
        assertInstanceOf(JdbcWriteException.class, failure);
        assertTrue(failure.getMessage().contains("rows are waiting for the database already"), failure.getMessage());

        gate.countDown();
        for (CompletableFuture<Exchange> done : List.of(taken, second, third)) {
            assertNull(done.get(WAIT_SECONDS, TimeUnit.SECONDS).getException());
        }
    }

    @Test
    void closingWritesTheQueuedRowsAtOnceAndRefusesNewOnes() throws Exception {
        JdbcSink sink = sink(100, LONG, 1000);
        List<CompletableFuture<Exchange>> sent = List.of(send(sink, "a", 1), send(sink, "b", 2));
        long before = System.nanoTime();
        writers.get(0).close(Duration.ofSeconds(WAIT_SECONDS));
        assertTrue(System.nanoTime() - before < TimeUnit.SECONDS.toNanos(5), "closing waited for the batch time");
        for (CompletableFuture<Exchange> done : sent) {
            assertTrue(done.isDone());
            assertNull(done.get().getException());
        }
        Exception refused = send(sink, "c", 3).get(WAIT_SECONDS, TimeUnit.SECONDS).getException();
        assertTrue(refused.getMessage().contains("the sink is closed"), refused.getMessage());
        assertEquals(2L, database.query("SELECT COUNT(*) FROM readings"));
    }

    private JdbcSink sink(int batchSize, Duration batchTime, int capacity) {
        RouteSink.Jdbc config = new RouteSink.Jdbc("test", "readings",
                List.of(column("device", "{device}", ColumnType.TEXT), column("seq", "{seq}", ColumnType.INTEGER)),
                batchSize, batchTime, List.of(), false);
        BatchWriter writer = new BatchWriter("test/readings", database, TableStatements.of(config, SqlDialect.H2),
                batchSize, batchTime, capacity);
        writers.add(writer);
        writer.start();
        return new JdbcSink(new RowMapper(config.columns(), Rows.HEADERS), writer, released -> released.close(Duration.ofSeconds(5)));
    }

    private CompletableFuture<Exchange> send(JdbcSink sink, String device, int seq) {
        return Rows.send(context, sink, Map.of("device", device, "seq", String.valueOf(seq)));
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT_SECONDS + " s");
            }
            Thread.sleep(10);
        }
    }
}
