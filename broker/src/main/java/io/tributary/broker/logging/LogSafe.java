package io.tributary.broker.logging;

/**
 * Makes a string a client chose (client identifier, topic, user name, origin) safe to put in a log line: control
 * and invisible formatting characters (CR, LF, ESC, bidirectional overrides...) are written as {@code \\uXXXX},
 * so that a client cannot forge log lines or drive a terminal, and anything longer than {@value #MAX_CHARS}
 * characters is cut, with an ellipsis and its full length, so that a 64 KiB identifier does not fill the log.
 */
public final class LogSafe {
    /** The most characters of a client's string that reach a log line. */
    public static final int MAX_CHARS = 128;

    private LogSafe() {
    }

    /** {@code value} as it may be logged; {@code null} stays {@code "null"}. */
    public static String text(String value) {
        if (value == null) {
            return "null";
        }
        int shown = Math.min(value.length(), MAX_CHARS);
        if (Character.isHighSurrogate(value.charAt(Math.max(0, shown - 1))) && shown < value.length()) {
            shown--; // never cut a character in half
        }
        StringBuilder safe = null;
        for (int i = 0; i < shown; i++) {
            char c = value.charAt(i);
            if (needsEscape(c)) {
                if (safe == null) {
                    safe = new StringBuilder(shown + 16).append(value, 0, i);
                }
                safe.append(String.format("\\u%04x", (int) c));
            } else if (safe != null) {
                safe.append(c);
            }
        }
        if (safe == null && shown == value.length()) {
            return value;
        }
        if (safe == null) {
            safe = new StringBuilder(value.substring(0, shown));
        }
        if (shown < value.length()) {
            safe.append("...(").append(value.length()).append(" chars)");
        }
        return safe.toString();
    }

    private static boolean needsEscape(char c) {
        return Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                || c == 0x2028 || c == 0x2029; // line and paragraph separators
    }
}
