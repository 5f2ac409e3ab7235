package io.tributary.broker;

import java.util.Locale;

/**
 * One access rule of the ACL, as Mosquitto's {@code acl_file} writes it: a {@code topic} line of a user (or of
 * anonymous clients) or a {@code pattern} line for every client.
 *
 * @param user the user name the rule is for; {@code null} for anonymous clients, and for patterns
 * @param pattern true for a {@code pattern} rule: {@code %u} and {@code %c} levels stand for the client's user
 *     name and client id, and it applies to every client
 * @param access what the rule grants, or {@link Access#DENY} to take away what another rule grants
 * @param topic the topic filter, which may hold {@code +} and {@code #}
 */
public record AclRule(String user, boolean pattern, Access access, String topic) {

    /** What a rule grants. */
    public enum Access {
        READ, WRITE, READWRITE, DENY;

        public boolean allowsRead() {
            return this == READ || this == READWRITE;
        }

        public boolean allowsWrite() {
            return this == WRITE || this == READWRITE;
        }

        /** The access named by {@code word} as written in an ACL file, or null if it names none. */
        public static Access named(String word) {
            return switch (word.toLowerCase(Locale.ROOT)) {
                case "read" -> READ;
                case "write" -> WRITE;
                case "readwrite" -> READWRITE;
                case "deny" -> DENY;
                default -> null;
            };
        }
    }

    public AclRule {
        if (access == null) {
            throw new IllegalArgumentException("an ACL rule needs an access");
        }
        if (pattern && user != null) {
            throw new IllegalArgumentException("a pattern rule applies to every client and has no user");
        }
        String problem = problemWith(topic, pattern);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** A {@code topic} rule for {@code user} ({@code null}: anonymous clients). */
    public static AclRule topic(String user, Access access, String topic) {
        return new AclRule(user, false, access, topic);
    }

    /** A {@code pattern} rule for every client. */
    public static AclRule pattern(Access access, String topic) {
        return new AclRule(null, true, access, topic);
    }

    /**
     * Why {@code topic} is not a valid filter for a rule, or null if it is. Wildcards follow MQTT's rules; in a
     * pattern, {@code %u} and {@code %c} must each be a whole level, as Mosquitto's manual requires.
     */
    public static String problemWith(String topic, boolean pattern) {
        if (topic == null || topic.isEmpty()) {
            return "a topic filter is needed";
        }
        String[] levels = topic.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.indexOf('\0') >= 0) {
                return "a topic filter may not hold the null character: '" + topic + "'";
            }
            if (level.indexOf('#') >= 0 && (level.length() != 1 || i != levels.length - 1)) {
                return "'#' must be the last level, alone: '" + topic + "'";
            }
            if (level.indexOf('+') >= 0 && level.length() != 1) {
                return "'+' must be a whole level: '" + topic + "'";
            }
            if (pattern && (level.contains("%u") || level.contains("%c")) && level.length() != 2) {
                return "%u and %c must each be a whole level: '" + topic + "'";
            }
        }
        return null;
    }
}
