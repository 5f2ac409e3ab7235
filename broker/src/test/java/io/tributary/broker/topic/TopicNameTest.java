package io.tributary.broker.topic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link TopicName}: topic name rules of section 4.7 and level splitting. */
class TopicNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "/", "//", "a/b", "/a", "a/", "a//b", "$SYS/x", " ", "ü/€/😀", "$share/g/a"})
    void validTopicNamesHaveNoProblem(String topic) {
        assertNull(TopicName.problemWith(topic));
        assertEquals(topic, TopicName.requireValid(topic));
    }

    @Test
    void emptyOrNullTopicIsInvalid() {
        // Topic names are at least one character long [MQTT-4.7.3-1].
        assertTrue(TopicName.problemWith("").contains("MQTT-4.7.3-1"));
        assertNotNull(TopicName.problemWith(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/+", "+", "#", "a/#", "a+b", "a#b"})
    void wildcardsAreNotAllowedInTopicNames(String topic) {
        // [MQTT-3.3.2-2]
        assertTrue(TopicName.problemWith(topic).contains("MQTT-3.3.2-2"), topic);
        assertThrows(InvalidTopicException.class, () -> TopicName.requireValid(topic));
    }

    @Test
    void nullCharacterIsNotAllowed() {
        // [MQTT-4.7.3-2]
        assertTrue(TopicName.problemWith("a\u0000b").contains("U+0000"));
    }

    @Test
    void replacementCharacterFromMalformedUtf8IsRefused() {
        assertTrue(TopicName.problemWith("a\uFFFD").contains("MQTT-1.5.3-1"));
    }

    @Test
    void levelsKeepEmptyLevels() {
        assertArrayEquals(new String[] {"a", "", "b"}, TopicName.levels("a//b"));
        assertArrayEquals(new String[] {"", "a"}, TopicName.levels("/a"));
        assertArrayEquals(new String[] {"a", ""}, TopicName.levels("a/"));
        assertArrayEquals(new String[] {"", ""}, TopicName.levels("/"));
        assertArrayEquals(new String[] {"abc"}, TopicName.levels("abc"));
        assertArrayEquals(new String[] {""}, TopicName.levels(""));
    }
}
