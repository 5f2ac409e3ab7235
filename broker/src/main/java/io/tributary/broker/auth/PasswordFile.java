package io.tributary.broker.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The users of a password file in the format of Mosquitto's {@code mosquitto_passwd}: one {@code user:HASH}
 * per line (see {@link PasswordHash}); empty lines and lines starting with {@code #} are skipped. A line that
 * cannot be read makes the whole file invalid, as in Mosquitto: a file half read would lock users out without
 * a word. Errors name the file and line, never the hash.
 */
public final class PasswordFile {

    /** The file could not be read or a line is invalid; the message names the file and line. */
    public static final class InvalidPasswordFileException extends IOException {
        private static final long serialVersionUID = 1L;

        InvalidPasswordFileException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Map<String, PasswordHash> users;

    private PasswordFile(Map<String, PasswordHash> users) {
        this.users = Map.copyOf(users);
    }

    /** Reads {@code file}; every line must be valid. */
    public static PasswordFile read(Path file) throws InvalidPasswordFileException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidPasswordFileException(file + ": cannot be read: " + e, e);
        }
        Map<String, PasswordHash> users = new LinkedHashMap<>();
        Map<String, Integer> lineOf = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int lineNumber = i + 1;
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new InvalidPasswordFileException(file + ":" + lineNumber
                        + ": expected USER:HASH" + (colon == 0 ? " with a user name" : ""), null);
            }
            String user = line.substring(0, colon);
            PasswordHash hash;
            try {
                hash = PasswordHash.parse(line.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw new InvalidPasswordFileException(file + ":" + lineNumber + ": user '" + user + "': "
                        + e.getMessage(), null);
            }
            Integer earlier = lineOf.putIfAbsent(user, lineNumber);
            if (earlier != null) {
                throw new InvalidPasswordFileException(file + ":" + lineNumber + ": user '" + user
                        + "' is already on line " + earlier, null);
            }
            users.put(user, hash);
        }
        return new PasswordFile(users);
    }

    /** The hash of {@code user}, or null when the file has no such user. */
    public PasswordHash hashOf(String user) {
        return users.get(user);
    }

    /** How many users the file holds. */
    public int size() {
        return users.size();
    }
}
