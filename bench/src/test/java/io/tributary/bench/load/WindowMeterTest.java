package io.tributary.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WindowMeterTest {

    @Test
    void aCounterIsReadAtBothEndsOfTheWindowAndAnUnreadableOneHasNoCpu() throws Exception {
        AtomicLong rows = new AtomicLong(100);
        WindowMeter meter = new WindowMeter()
                .add("rows", () -> OptionalLong.of(rows.get()))
                .add("cpu", () -> OptionalLong.of(rows.get() * 10_000_000L))
                .add("gone", OptionalLong::empty);
        meter.readStart();
        rows.addAndGet(50);
        Thread.sleep(100);
        meter.readEnd();

        double perSecond = meter.perSecond("rows");
        assertTrue(perSecond > 50 && perSecond <= 500, "50 rows in a bit more than 0.1 s: " + perSecond);
        assertEquals(50.0, meter.cpuPercent("cpu", 1_000_000_000L), 0.001, "0.5 s of CPU over 1 s");
        assertEquals(-1, meter.cpuPercent("gone", 1_000_000_000L));
    }
}
