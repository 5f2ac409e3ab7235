package io.tributary.routes.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** One line per route and reason per interval, the next one carrying the count of those left out. */
class FailureLogTest {

    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Logger logger = (Logger) LoggerFactory.getLogger("test.failure-log." + System.nanoTime());
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    @BeforeEach
    void capture() {
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.INFO);
        logger.setAdditive(false);
    }

    @AfterEach
    void release() {
        logger.detachAppender(appender);
    }

    @Test
    void aBurstWritesOneLineAndTheNextIntervalCarriesTheCount() {
        FailureLog log = new FailureLog(logger, TEN_SECONDS, 100, now::get);
        for (int i = 0; i < 100; i++) {
            log.warn("hot-readings", "refused", () -> "route hot-readings: webhook alerts refused the connection");
            now.addAndGet(Duration.ofMillis(10).toNanos());
        }
        assertEquals(List.of("route hot-readings: webhook alerts refused the connection"), lines());

        now.addAndGet(TEN_SECONDS.toNanos());
        log.warn("hot-readings", "refused", () -> "route hot-readings: webhook alerts refused the connection");

        assertEquals("route hot-readings: webhook alerts refused the connection"
                + " (99 more like it in the 10 s after the previous line)", lines().get(1));
        assertEquals(Level.WARN, appender.list.get(1).getLevel());
    }

    @Test
    void routesAndReasonsAreCountedApart() {
        FailureLog log = new FailureLog(logger, TEN_SECONDS, 100, now::get);
        log.warn("a", "refused", () -> "a refused");
        log.warn("a", "refused", () -> "a refused again");
        log.warn("a", "timeout", () -> "a timeout");
        log.warn("b", "refused", () -> "b refused");

        assertEquals(List.of("a refused", "a timeout", "b refused"), lines());
    }

    @Test
    void theMessageIsBuiltOnlyWhenWritten() {
        FailureLog log = new FailureLog(logger, TEN_SECONDS, 100, now::get);
        AtomicInteger built = new AtomicInteger();
        for (int i = 0; i < 50; i++) {
            log.warn("a", "refused", () -> "line " + built.incrementAndGet());
        }
        assertEquals(1, built.get());
    }

    @Test
    void theStackTraceFollowsAtDebugOnlyWhenDebugIsOn() {
        FailureLog log = new FailureLog(logger, TEN_SECONDS, 100, now::get);
        log.warn("a", "refused", () -> "a refused", new IllegalStateException("boom"));
        assertEquals(1, appender.list.size());
        assertEquals(null, appender.list.get(0).getThrowableProxy());

        logger.setLevel(Level.DEBUG);
        now.addAndGet(TEN_SECONDS.toNanos());
        log.warn("a", "refused", () -> "a refused", new IllegalStateException("boom"));
        assertEquals(3, appender.list.size());
        assertEquals(Level.DEBUG, appender.list.get(2).getLevel());
        assertEquals("boom", appender.list.get(2).getThrowableProxy().getMessage());
    }

    @Test
    void keysAreBoundedAndNewKeysBeyondTheCapShareOneSlot() {
        FailureLog log = new FailureLog(logger, TEN_SECONDS, 3, now::get);
        for (int i = 0; i < 1000; i++) {
            String route = "route-" + i;
            log.warn(route, "refused", () -> route + " refused");
        }
        assertTrue(log.keys() <= 4, "keys remembered: " + log.keys());
        // Three keys of their own, then one line for all those past the cap.
        assertEquals(List.of("route-0 refused", "route-1 refused", "route-2 refused", "route-3 refused"), lines());

        now.addAndGet(TEN_SECONDS.toNanos());
        log.warn("route-new", "refused", () -> "route-new refused");
        assertEquals("route-new refused", lines().get(4));
        assertTrue(log.keys() <= 4, "quiet keys are forgotten: " + log.keys());
    }

    @Test
    void manyThreadsWriteOneLinePerInterval() throws Exception {
        FailureLog log = new FailureLog(logger, TEN_SECONDS, 100, now::get);
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < 1000; i++) {
                    log.warn("a", "refused", () -> "a refused");
                }
            });
            thread.start();
            started.add(thread);
        }
        start.countDown();
        for (Thread thread : started) {
            thread.join();
        }
        assertEquals(List.of("a refused"), lines());
        now.addAndGet(TEN_SECONDS.toNanos());
        log.warn("a", "refused", () -> "a refused");
        assertEquals("a refused (" + (threads * 1000 - 1) + " more like it in the 10 s after the previous line)",
                lines().get(1));
    }

    @Test
    void nothingIsCountedWhenWarnIsOff() {
        logger.setLevel(Level.ERROR);
        FailureLog log = new FailureLog(logger, TEN_SECONDS, 100, now::get);
        assertFalse(log.warn("a", "refused", () -> "a refused"));
        assertEquals(0, log.keys());
    }

    private List<String> lines() {
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
