package io.tributary.hivemq;

import java.util.List;

/**
 * An MQTT topic filter, validated when made, that tells which topics it matches: {@code +} one level, {@code #} the
 * rest (the parent level too), no wildcard matching a first level that starts with {@code $}. The built-in broker's
 * own filter lives in the broker module, which the extension must not bring into HiveMQ (it carries Netty).
 */
record TopicFilterMatch(String filter, List<String> levels) {

    TopicFilterMatch {
        levels = List.copyOf(levels);
    }

    /** @throws IllegalArgumentException when {@code filter} is not a valid MQTT topic filter */
    static TopicFilterMatch parse(String filter) {
        if (filter == null || filter.isEmpty()) {
            throw new IllegalArgumentException("a topic filter must not be empty");
        }
        if (filter.indexOf('\u0000') >= 0) {
            throw new IllegalArgumentException("a topic filter must not contain U+0000: " + filter);
        }
        List<String> levels = List.of(filter.split("/", -1));
        for (int i = 0; i < levels.size(); i++) {
            String level = levels.get(i);
            if (level.contains("#") && (!level.equals("#") || i != levels.size() - 1)) {
                throw new IllegalArgumentException("'#' must be a whole level and the last one: " + filter);
            }
            if (level.contains("+") && !level.equals("+")) {
                throw new IllegalArgumentException("'+' must be a whole level: " + filter);
            }
        }
        return new TopicFilterMatch(filter, levels);
    }

    boolean matches(String topic) {
        String[] topicLevels = topic.split("/", -1);
        if (topic.startsWith("$") && (levels.get(0).equals("+") || levels.get(0).equals("#"))) {
            return false;
        }
        for (int i = 0; i < levels.size(); i++) {
            String level = levels.get(i);
            if (level.equals("#")) {
                return true;
            }
            if (i >= topicLevels.length) {
                return false;
            }
            if (!level.equals("+") && !level.equals(topicLevels[i])) {
                return false;
            }
        }
        return topicLevels.length == levels.size();
    }
}
