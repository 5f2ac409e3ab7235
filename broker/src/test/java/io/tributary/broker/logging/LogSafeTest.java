package io.tributary.broker.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link LogSafe}: what of a client's string reaches a log line. */
class LogSafeTest {

    @Test
    void ordinaryStringIsLoggedAsItIs() {
        String id = "sensor-42/ünïcödé";
        assertSame(id, LogSafe.text(id));
    }

    @Test
    void lineBreaksCannotForgeALogLine() {
        assertEquals("evil\\u000d\\u000a12:00:00 INFO admin logged in",
                LogSafe.text("evil\r\n12:00:00 INFO admin logged in"));
    }

    @Test
    void terminalEscapesAndInvisibleFormattingAreWrittenOut() {
        assertEquals("\\u001b[2Jx\\u0000y\\u202ez\\u2028", LogSafe.text("\u001b[2Jx\u0000y\u202ez\u2028"));
        assertEquals("tab\\u0009del\\u007f", LogSafe.text("tab\tdel\u007f"));
    }

    @Test
    void longStringIsCutWithItsLength() {
        String logged = LogSafe.text("a".repeat(65_535));
        assertEquals("a".repeat(LogSafe.MAX_CHARS) + "...(65535 chars)", logged);
    }

    @Test
    void cutNeverSplitsASurrogatePair() {
        String emoji = "\uD83D\uDE00"; // one character, two chars
        String logged = LogSafe.text("a".repeat(LogSafe.MAX_CHARS - 1) + emoji + "tail");
        assertTrue(logged.startsWith("a".repeat(LogSafe.MAX_CHARS - 1) + "..."), logged);
    }

    @Test
    void nullIsLoggedAsNull() {
        assertEquals("null", LogSafe.text(null));
    }
}
