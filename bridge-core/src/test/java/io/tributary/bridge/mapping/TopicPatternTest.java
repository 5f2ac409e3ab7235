package io.tributary.bridge.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicPatternTest {

    @Test
    void namedSingleLevelPlaceholdersBecomePlusAndCaptureTheirLevel() {
        TopicPattern pattern = TopicPattern.parse("sites/{site}/devices/{device}/telemetry");
        assertEquals("sites/+/devices/+/telemetry", pattern.mqttFilter());
        assertEquals(List.of("site", "device"), pattern.placeholders());
        assertEquals(Map.of("site", "s1", "device", "d7"), pattern.match("sites/s1/devices/d7/telemetry"));
    }

    @Test
    void multiLevelPlaceholderBecomesHashAndCapturesTheRest() {
        TopicPattern pattern = TopicPattern.parse("sites/{site}/alarms/{path...}");
        assertEquals("sites/+/alarms/#", pattern.mqttFilter());
        assertEquals(Map.of("site", "s1", "path", "a/b/c"), pattern.match("sites/s1/alarms/a/b/c"));
        assertEquals(Map.of("site", "s1", "path", ""), pattern.match("sites/s1/alarms"));
    }

    @Test
    void unnamedWildcardsMatchWithoutCapturing() {
        TopicPattern pattern = TopicPattern.parse("sites/+/alarms/#");
        assertEquals("sites/+/alarms/#", pattern.mqttFilter());
        assertEquals(Map.of(), pattern.match("sites/x/alarms/fire"));
    }

    @Test
    void topicsThatDoNotMatchGiveNull() {
        TopicPattern pattern = TopicPattern.parse("sites/{site}/telemetry");
        assertNull(pattern.match("sites/s1/other"));
        assertNull(pattern.match("sites/s1/telemetry/extra"));
        assertNull(pattern.match("sites/telemetry"));
    }

    @Test
    void wildcardFirstLevelDoesNotMatchDollarTopics() {
        assertNull(TopicPattern.parse("{first}/x").match("$SYS/x"));
        assertNull(TopicPattern.parse("#").match("$SYS/x"));
        assertEquals(Map.of("rest", "x"), TopicPattern.parse("$SYS/{rest...}").match("$SYS/x"));
    }

    @Test
    void emptyLevelsAreLevels() {
        TopicPattern pattern = TopicPattern.parse("a/{b}/c");
        assertEquals(Map.of("b", ""), pattern.match("a//c"));
    }

    @Test
    void malformedPatternsAreRefusedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TopicPattern.parse("a/{rest...}/b"))
                .getMessage().contains("last level"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TopicPattern.parse("a/x{b}"))
                .getMessage().contains("whole level"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TopicPattern.parse("a/{b}/{b}"))
                .getMessage().contains("twice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TopicPattern.parse("a/#/b"))
                .getMessage().contains("last level"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TopicPattern.parse("a/{1x}"))
                .getMessage().contains("not a placeholder name"));
        assertThrows(IllegalArgumentException.class, () -> TopicPattern.parse(""));
    }
}
