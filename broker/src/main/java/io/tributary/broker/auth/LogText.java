package io.tributary.broker.auth;

/** Text a client chose (client id, user name), made safe for a log line: capped, without control characters. */
final class LogText {
    private static final int MAX = 64;

    private LogText() {
    }

    static String of(String text) {
        if (text == null) {
            return "(none)";
        }
        StringBuilder safe = new StringBuilder(Math.min(text.length(), MAX + 3));
        for (int i = 0; i < text.length() && i < MAX; i++) {
            char c = text.charAt(i);
            safe.append(Character.isISOControl(c) ? '?' : c);
        }
        if (text.length() > MAX) {
            safe.append("...");
        }
        return safe.toString();
    }
}
