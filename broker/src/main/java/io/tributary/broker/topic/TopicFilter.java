package io.tributary.broker.topic;

/**
 * A validated topic filter, with its shared-subscription group if it had a {@code $share/group/} prefix.
 * A {@code TopicFilter} that exists is valid: nothing behind {@link #parse(String)} checks it again.
 *
 * @param raw the filter as the client sent it, prefix included
 * @param filter the filter without the share prefix
 * @param shareGroup the shared subscription group, or {@code null}
 * @param levels {@code filter} split at '/'
 */
public record TopicFilter(String raw, String filter, String shareGroup, String[] levels) {

    public static final String SHARE_PREFIX = "$share/";

    /** Parses and validates a filter. @throws InvalidTopicException with the broken rule */
    public static TopicFilter parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw new InvalidTopicException("a topic filter must be at least one character long [MQTT-4.7.3-1]");
        }
        String group = null;
        String filter = raw;
        if (raw.startsWith(SHARE_PREFIX)) {
            int slash = raw.indexOf('/', SHARE_PREFIX.length());
            if (slash < 0) {
                throw new InvalidTopicException("a shared subscription is $share/{group}/{filter}: '" + raw + "'");
            }
            group = raw.substring(SHARE_PREFIX.length(), slash);
            filter = raw.substring(slash + 1);
            if (group.isEmpty() || group.indexOf('+') >= 0 || group.indexOf('#') >= 0) {
                throw new InvalidTopicException(
                        "a share name is non-empty and has no wildcards [MQTT-4.8.2-1, MQTT-4.8.2-2]: '" + raw + "'");
            }
            if (filter.isEmpty()) {
                throw new InvalidTopicException("a shared subscription needs a filter after the group: '" + raw + "'");
            }
        }
        String[] levels = TopicName.levels(filter);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            for (int c = 0; c < level.length(); c++) {
                char ch = level.charAt(c);
                String charProblem = TopicName.characterProblem(ch);
                if (charProblem != null) {
                    throw new InvalidTopicException(charProblem + ": '" + raw + "'");
                }
                if (ch == '#' && (level.length() != 1 || i != levels.length - 1)) {
                    throw new InvalidTopicException(
                            "'#' must be the last character and occupy a whole level [MQTT-4.7.1-2]: '" + raw + "'");
                }
                if (ch == '+' && level.length() != 1) {
                    throw new InvalidTopicException("'+' must occupy a whole level [MQTT-4.7.1-3]: '" + raw + "'");
                }
            }
        }
        return new TopicFilter(raw, filter, group, levels);
    }

    /** True for a {@code $share/group/filter} subscription. */
    public boolean isShared() {
        return shareGroup != null;
    }

    /** True if the filter contains '+' or '#'. */
    public boolean hasWildcard() {
        return filter.indexOf('+') >= 0 || filter.indexOf('#') >= 0;
    }

    /**
     * True if {@code topic} matches this filter. A filter starting with a wildcard does not match topics
     * starting with '$' [MQTT-4.7.2-1].
     */
    public boolean matches(String topic) {
        String[] topicLevels = TopicName.levels(topic);
        if (topic.startsWith("$") && (levels[0].equals("+") || levels[0].equals("#"))) {
            return false;
        }
        int i = 0;
        for (; i < levels.length; i++) {
            String level = levels[i];
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
        return i == topicLevels.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicFilter other && raw.equals(other.raw);
    }

    @Override
    public int hashCode() {
        return raw.hashCode();
    }

    @Override
    public String toString() {
        return raw;
    }
}
