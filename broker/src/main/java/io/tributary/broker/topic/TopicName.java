package io.tributary.broker.topic;

/**
 * Checks of a topic name in a PUBLISH: the rules of MQTT 3.1.1 section 4.7 and 5.0 section 4.7.
 */
public final class TopicName {
    private TopicName() {
    }

    /**
     * Returns the reason {@code topic} is not a valid topic name, or {@code null} if it is.
     *
     * <p>The codec decodes strings leniently, turning bytes that are not well-formed UTF-8 (and UTF-16
     * surrogates encoded in UTF-8) into U+FFFD; so a U+FFFD here means the client sent malformed UTF-8
     * [MQTT-1.5.3-1]. The one cost: a client that sends a literal, well-formed U+FFFD is refused too.
     */
    public static String problemWith(String topic) {
        if (topic == null || topic.isEmpty()) {
            return "a topic name must be at least one character long [MQTT-4.7.3-1]";
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#') {
                return "a topic name must not contain wildcards [MQTT-3.3.2-2]";
            }
            String charProblem = TopicName.characterProblem(c);
            if (charProblem != null) {
                return charProblem;
            }
        }
        return null;
    }

    /**
     * True if the problem with {@code topic} is in its encoding (U+0000 or malformed UTF-8), which makes the
     * packet malformed [MQTT-1.5.4-1, MQTT-1.5.4-2], rather than a topic name the rules refuse.
     */
    public static boolean isMalformed(String topic) {
        return topic != null && (topic.indexOf('\u0000') >= 0 || topic.indexOf('\uFFFD') >= 0);
    }

    /**
     * True for {@code $SYS} and the topics under it: the broker's own, which clients may not publish to
     * (nor set as a will topic).
     */
    public static boolean isSys(String topic) {
        return topic.startsWith("$SYS") && (topic.length() == 4 || topic.charAt(4) == '/');
    }

    /** Throws if {@code topic} is not a valid topic name. */
    public static String requireValid(String topic) {
        String problem = problemWith(topic);
        if (problem != null) {
            throw new InvalidTopicException(problem + ": '" + topic + "'");
        }
        return topic;
    }

    /**
     * Returns why {@code topic} (a topic name, or a filter without its share prefix) goes past the broker's limits,
     * or {@code null} if it does not. One pass, counting UTF-8 bytes and levels as it goes.
     *
     * @param maxBytes the longest topic accepted, in UTF-8 bytes
     * @param maxLevels the most levels accepted
     */
    public static String limitProblem(String topic, int maxBytes, int maxLevels) {
        long bytes = 0;
        int levels = 1;
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '/') {
                levels++;
            }
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++; // the low surrogate is in the four bytes
            } else {
                bytes += 3;
            }
        }
        if (bytes > maxBytes) {
            return "a topic of " + bytes + " bytes is longer than the " + maxBytes + " this broker accepts";
        }
        if (levels > maxLevels) {
            return "a topic of " + levels + " levels is deeper than the " + maxLevels + " this broker accepts";
        }
        return null;
    }

    static String characterProblem(char c) {
        if (c == '\u0000') {
            return "a topic must not contain U+0000 [MQTT-4.7.3-2]";
        }
        if (c == '\uFFFD') {
            return "a topic must be well-formed UTF-8 [MQTT-1.5.3-1]";
        }
        return null;
    }

    /**
     * Splits a topic or filter into its levels, keeping empty levels ({@code "a//b"} has three,
     * {@code "/a"} has two).
     */
    public static String[] levels(String topic) {
        int count = 1;
        for (int i = 0; i < topic.length(); i++) {
            if (topic.charAt(i) == '/') {
                count++;
            }
        }
        String[] levels = new String[count];
        int start = 0;
        int index = 0;
        for (int i = 0; i < topic.length(); i++) {
            if (topic.charAt(i) == '/') {
                levels[index++] = topic.substring(start, i);
                start = i + 1;
            }
        }
        levels[index] = topic.substring(start);
        return levels;
    }
}
