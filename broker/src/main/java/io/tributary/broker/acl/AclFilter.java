package io.tributary.broker.acl;

/**
 * A rule's topic filter, split into levels once, that answers the three questions the ACL asks: does a topic
 * match it, can a subscription's filter match a topic it matches too, and does it match every topic a
 * subscription's filter matches. A filter whose first level is a wildcard matches no topic starting with
 * {@code $} [MQTT-4.7.2-1], so {@code #} grants nothing under {@code $SYS}, as in Mosquitto.
 */
final class AclFilter {
    private final String[] levels;

    private AclFilter(String[] levels) {
        this.levels = levels;
    }

    static AclFilter of(String filter) {
        return new AclFilter(filter.split("/", -1));
    }

    static String[] levels(String topicOrFilter) {
        return topicOrFilter.split("/", -1);
    }

    /** True if the topic of {@code topicLevels} matches this filter. */
    boolean matches(String[] topicLevels) {
        if (isWildcard(levels[0]) && topicLevels[0].startsWith("$")) {
            return false;
        }
        int i = 0;
        for (; i < levels.length; i++) {
            String level = levels[i];
            if (level.equals("#")) {
                return true;
            }
            if (i >= topicLevels.length || (!level.equals("+") && !level.equals(topicLevels[i]))) {
                return false;
            }
        }
        return i == topicLevels.length;
    }

    /** True if some topic matches both this filter and the filter of {@code other}. */
    boolean overlaps(String[] other) {
        if (startsWithDollar(levels) && isWildcard(other[0]) || startsWithDollar(other) && isWildcard(levels[0])) {
            return false;
        }
        int i = 0;
        for (; i < levels.length && i < other.length; i++) {
            String mine = levels[i];
            String theirs = other[i];
            if (mine.equals("#") || theirs.equals("#")) {
                return true;
            }
            if (!mine.equals("+") && !theirs.equals("+") && !mine.equals(theirs)) {
                return false;
            }
        }
        // One ran out: they overlap if both did, or the longer goes on with '#' alone ('a/#' matches 'a').
        if (levels.length == other.length) {
            return true;
        }
        String[] longer = levels.length > other.length ? levels : other;
        return longer.length == i + 1 && longer[i].equals("#");
    }

    /** True if every topic that the filter of {@code other} matches, this filter matches too. */
    boolean covers(String[] other) {
        if (isWildcard(levels[0]) && startsWithDollar(other)) {
            return false;
        }
        return coversLevels(other);
    }

    private boolean coversLevels(String[] other) {
        for (int i = 0; i < levels.length; i++) {
            String mine = levels[i];
            if (mine.equals("#")) {
                return true;
            }
            if (i >= other.length) {
                return false;
            }
            String theirs = other[i];
            if (theirs.equals("#")) {
                return false;
            }
            if (mine.equals("+")) {
                continue;
            }
            if (theirs.equals("+") || !mine.equals(theirs)) {
                return false;
            }
        }
        return levels.length == other.length;
    }

    private static boolean isWildcard(String level) {
        return level.equals("+") || level.equals("#");
    }

    private static boolean startsWithDollar(String[] levels) {
        return levels[0].startsWith("$");
    }

    @Override
    public String toString() {
        return String.join("/", levels);
    }
}
