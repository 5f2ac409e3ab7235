package io.tributary.broker.topic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link TopicFilter#parse}: the filter rules of section 4.7 and shared subscriptions of section 4.8.2. */
class TopicFilterTest {

    @ParameterizedTest
    @ValueSource(strings = {"#", "+", "a", "a/#", "a/+", "+/+", "/", "//", "a//b", "/a", "a/", "+/#", "sport/+/player1",
            "sport/tennis/#", "$SYS/#", "$SYS", "a b", "ü/€", "$share", "$sharex/a", "$share/g/#", "$share/g/a/+/c",
            "$share/g/$SYS/#", "$share/g//"})
    void validFiltersParse(String raw) {
        TopicFilter filter = TopicFilter.parse(raw);
        assertEquals(raw, filter.raw());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",          // at least one character [MQTT-4.7.3-1]
            "a/#/b",     // '#' must be last [MQTT-4.7.1-2]
            "a#", "#x", "a/b#", "##", "#/",
            "a+", "+a", "a/+b", "++", "a/b+/c", // '+' must occupy a whole level [MQTT-4.7.1-3]
            "a\u0000b",  // no U+0000 [MQTT-4.7.3-2]
            "a\uFFFDb",  // malformed UTF-8 arrives as U+FFFD [MQTT-1.5.3-1]
            "$share/g",  // a share needs a filter
            "$share/g/", "$share//a", // a share name needs at least one character [MQTT-4.8.2-1]
            "$share/g+/a", "$share/g#/a", "$share/+/a", // no wildcards in a share name [MQTT-4.8.2-2]
            "$share/g/a/#/b", "$share/g/a+",
    })
    void invalidFiltersAreRefused(String raw) {
        InvalidTopicException e = assertThrows(InvalidTopicException.class, () -> TopicFilter.parse(raw));
        assertTrue(e.getMessage().length() > 0);
    }

    @Test
    void nullIsRefused() {
        assertThrows(InvalidTopicException.class, () -> TopicFilter.parse(null));
    }

    @Test
    void sharedFilterSplitsIntoGroupAndFilter() {
        TopicFilter shared = TopicFilter.parse("$share/consumers/sensors/+/temp");
        assertTrue(shared.isShared());
        assertEquals("consumers", shared.shareGroup());
        assertEquals("sensors/+/temp", shared.filter());
        assertArrayEquals(new String[] {"sensors", "+", "temp"}, shared.levels());
        assertTrue(shared.hasWildcard());
        assertTrue(shared.matches("sensors/1/temp"));
    }

    @Test
    void plainFilterHasNoGroup() {
        TopicFilter plain = TopicFilter.parse("$share");
        assertFalse(plain.isShared(), "'$share' without '/' is an ordinary filter");
        assertNull(plain.shareGroup());
        TopicFilter a = TopicFilter.parse("a//b");
        assertArrayEquals(new String[] {"a", "", "b"}, a.levels());
        assertFalse(a.hasWildcard());
    }

    @Test
    void sharedHashDoesNotMatchDollarTopics() {
        // The filter part decides: '#' does not match '$' topics [MQTT-4.7.2-1].
        assertFalse(TopicFilter.parse("$share/g/#").matches("$SYS/x"));
        assertTrue(TopicFilter.parse("$share/g/$SYS/#").matches("$SYS/x"));
    }

    @Test
    void filtersAreEqualByTheirRawText() {
        assertEquals(TopicFilter.parse("a/+"), TopicFilter.parse("a/+"));
        assertEquals(TopicFilter.parse("a/+").hashCode(), TopicFilter.parse("a/+").hashCode());
        assertNotEquals(TopicFilter.parse("a/+"), TopicFilter.parse("$share/g/a/+"));
        assertNotEquals(TopicFilter.parse("a/+"), TopicFilter.parse("a/#"));
        assertEquals("$share/g/a", TopicFilter.parse("$share/g/a").toString());
    }
}
