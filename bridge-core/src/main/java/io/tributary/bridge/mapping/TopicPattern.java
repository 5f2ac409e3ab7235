package io.tributary.bridge.mapping;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.LinkedHashSet;

/**
 * An MQTT topic filter with named placeholders: {@code {name}} stands for one level (MQTT's {@code +}),
 * {@code {name...}} for the remaining levels (MQTT's {@code #}, last level only). Plain {@code +} and
 * {@code #} work too, unnamed. A pattern yields the MQTT filter to subscribe with and, for each matching
 * topic, the values of its placeholders.
 *
 * <p>Example: {@code sites/{site}/devices/{device}/telemetry} subscribes to
 * {@code sites/+/devices/+/telemetry} and maps {@code sites/s1/devices/d7/telemetry} to
 * {@code {site=s1, device=d7}}.
 */
public final class TopicPattern {
    private final String pattern;
    private final String mqttFilter;
    private final String[] levels;
    /** For each level: the placeholder's name, or null for a literal or an unnamed wildcard. */
    private final String[] names;
    private final boolean multiLevelTail;

    private TopicPattern(String pattern, String mqttFilter, String[] levels, String[] names, boolean multiLevelTail) {
        this.pattern = pattern;
        this.mqttFilter = mqttFilter;
        this.levels = levels;
        this.names = names;
        this.multiLevelTail = multiLevelTail;
    }

    /** Parses a pattern. @throws IllegalArgumentException saying what is wrong and where */
    public static TopicPattern parse(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            throw new IllegalArgumentException("a topic pattern must not be empty");
        }
        String[] levels = pattern.split("/", -1);
        String[] names = new String[levels.length];
        String[] filterLevels = new String[levels.length];
        Set<String> seen = new LinkedHashSet<>();
        boolean tail = false;
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            boolean last = i == levels.length - 1;
            if (level.startsWith("{") && level.endsWith("}")) {
                String name = level.substring(1, level.length() - 1);
                boolean multi = name.endsWith("...");
                if (multi) {
                    name = name.substring(0, name.length() - 3);
                    if (!last) {
                        throw new IllegalArgumentException("'" + level + "' matches the remaining levels, so it must be"
                                + " the last level of '" + pattern + "'");
                    }
                    tail = true;
                }
                if (!Template.isName(name)) {
                    throw new IllegalArgumentException("'" + name + "' in '" + pattern
                            + "' is not a placeholder name (letters, digits, '_' and '-', starting with a letter)");
                }
                if (!seen.add(name)) {
                    throw new IllegalArgumentException("placeholder {" + name + "} appears twice in '" + pattern + "'");
                }
                names[i] = name;
                filterLevels[i] = multi ? "#" : "+";
            } else if (level.contains("{") || level.contains("}")) {
                throw new IllegalArgumentException("a placeholder must be a whole level, like {name}: '" + level
                        + "' in '" + pattern + "'");
            } else if (level.equals("#")) {
                if (!last) {
                    throw new IllegalArgumentException("'#' must be the last level of '" + pattern + "'");
                }
                tail = true;
                filterLevels[i] = "#";
            } else if (level.contains("#") || (level.contains("+") && !level.equals("+"))) {
                throw new IllegalArgumentException("'+' and '#' must be whole levels: '" + level + "' in '" + pattern + "'");
            } else {
                filterLevels[i] = level;
            }
        }
        return new TopicPattern(pattern, String.join("/", filterLevels), levels, names, tail);
    }

    /** The pattern as written. */
    public String pattern() {
        return pattern;
    }

    /** The MQTT topic filter to subscribe with. */
    public String mqttFilter() {
        return mqttFilter;
    }

    /** The placeholder names, in order. */
    public List<String> placeholders() {
        List<String> result = new ArrayList<>();
        for (String name : names) {
            if (name != null) {
                result.add(name);
            }
        }
        return Collections.unmodifiableList(result);
    }

    /**
     * The placeholder values for {@code topic}, or null if the topic does not match. A multi-level
     * placeholder gets the remaining levels joined with '/', or "" when the topic ends where it starts.
     */
    public Map<String, String> match(String topic) {
        String[] topicLevels = topic.split("/", -1);
        Map<String, String> values = new LinkedHashMap<>();
        int fixed = multiLevelTail ? levels.length - 1 : levels.length;
        if (multiLevelTail ? topicLevels.length < fixed : topicLevels.length != fixed) {
            return null;
        }
        if (topic.startsWith("$") && isWildcard(0)) {
            return null; // a wildcard first level does not match '$' topics [MQTT-4.7.2-1]
        }
        for (int i = 0; i < fixed; i++) {
            if (isWildcard(i)) {
                if (names[i] != null) {
                    values.put(names[i], topicLevels[i]);
                }
            } else if (!levels[i].equals(topicLevels[i])) {
                return null;
            }
        }
        if (multiLevelTail && names[levels.length - 1] != null) {
            StringBuilder rest = new StringBuilder();
            for (int i = fixed; i < topicLevels.length; i++) {
                if (i > fixed) {
                    rest.append('/');
                }
                rest.append(topicLevels[i]);
            }
            values.put(names[levels.length - 1], rest.toString());
        }
        return values;
    }

    private boolean isWildcard(int level) {
        return names[level] != null || levels[level].equals("+") || levels[level].equals("#");
    }

    /** Two patterns are equal when written the same way; a configuration reload compares routes by it. */
    @Override
    public boolean equals(Object other) {
        return other instanceof TopicPattern that && pattern.equals(that.pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
