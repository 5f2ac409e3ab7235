package io.tributary.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an ACL file in Mosquitto's {@code acl_file} format: {@code user NAME} starts the rules of one user,
 * {@code topic [read|write|readwrite|deny] FILTER} adds a rule (read and write when the access is left out) for
 * that user or, before any {@code user} line, for anonymous clients, and {@code pattern [ACCESS] FILTER} adds a
 * rule for every client with {@code %u} and {@code %c} levels. Lines starting with {@code #} are comments.
 */
public final class AclFile {

    /** A problem in an ACL file: the message names the file and the line. */
    public static final class InvalidAclException extends Exception {
        public InvalidAclException(String message) {
            super(message);
        }
    }

    private AclFile() {
    }

    /** The rules of {@code file}. @throws InvalidAclException if it cannot be read or has a bad line */
    public static List<AclRule> read(Path file) throws InvalidAclException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidAclException("cannot read ACL file " + file + ": " + e);
        }
        return parse(lines, file.toString());
    }

    /**
     * The rules of {@code lines}, read from {@code source}. Every bad line is reported, in one exception.
     */
    public static List<AclRule> parse(List<String> lines, String source) throws InvalidAclException {
        List<AclRule> rules = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String user = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] words = line.split("\\s+", 2);
            String keyword = words[0];
            String rest = words.length > 1 ? words[1] : "";
            String problem = null;
            switch (keyword) {
                case "user" -> {
                    if (rest.isEmpty()) {
                        problem = "'user' needs a user name";
                    } else {
                        user = rest;
                    }
                }
                case "topic", "pattern" -> {
                    boolean pattern = keyword.equals("pattern");
                    String[] accessAndTopic = rest.split("\\s+", 2);
                    AclRule.Access access = accessAndTopic.length == 2 ? AclRule.Access.named(accessAndTopic[0]) : null;
                    String topic = access == null ? rest : accessAndTopic[1];
                    String topicProblem = AclRule.problemWith(topic, pattern);
                    if (topicProblem != null) {
                        problem = "'" + keyword + "' " + topicProblem;
                    } else {
                        AclRule.Access granted = access == null ? AclRule.Access.READWRITE : access;
                        rules.add(pattern ? AclRule.pattern(granted, topic) : AclRule.topic(user, granted, topic));
                    }
                }
                default -> problem = "unknown keyword '" + keyword + "'; a line is 'user NAME', "
                        + "'topic [read|write|readwrite|deny] FILTER' or 'pattern [read|write|readwrite|deny] FILTER'";
            }
            if (problem != null) {
                problems.add(source + " line " + (i + 1) + ": " + problem);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidAclException(String.join("\n", problems));
        }
        return rules;
    }
}
