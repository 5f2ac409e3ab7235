package io.tributary.bridge.mapping;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * A text with {@code {variable}} references, such as a Kafka topic {@code telemetry.{site}} or an MQTT
 * topic {@code devices/{key}/commands}. Variable names are dotted paths ({@code header.tenant},
 * {@code json.meta.id}); {@code {{} } and {@code }}} write literal braces.
 */
public final class Template {
    private final String text;
    private final List<Object> parts; // String literals and Variable references, in order

    private Template(String text, List<Object> parts) {
        this.text = text;
        this.parts = parts;
    }

    /** A reference to a variable. */
    private record Variable(String name) {
    }

    /** Parses a template. @throws IllegalArgumentException saying what is wrong */
    public static Template parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a template must not be null");
        }
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '{' && text.startsWith("{{", i)) {
                literal.append('{');
                i += 2;
            } else if (c == '}' && text.startsWith("}}", i)) {
                literal.append('}');
                i += 2;
            } else if (c == '{') {
                int end = text.indexOf('}', i);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed '{' at position " + i + " of '" + text + "'");
                }
                String name = text.substring(i + 1, end).trim();
                if (!isPath(name)) {
                    throw new IllegalArgumentException("'{" + name + "}' in '" + text
                            + "' is not a variable (names are letters, digits, '_' and '-', joined by dots)");
                }
                if (literal.length() > 0) {
                    parts.add(literal.toString());
                    literal.setLength(0);
                }
                parts.add(new Variable(name));
                i = end + 1;
            } else if (c == '}') {
                throw new IllegalArgumentException("unmatched '}' at position " + i + " of '" + text + "' (write '}}')");
            } else {
                literal.append(c);
                i++;
            }
        }
        if (literal.length() > 0) {
            parts.add(literal.toString());
        }
        return new Template(text, List.copyOf(parts));
    }

    /** The variable names used, in order of appearance. */
    public List<String> variables() {
        List<String> names = new ArrayList<>();
        for (Object part : parts) {
            if (part instanceof Variable v) {
                names.add(v.name());
            }
        }
        return names;
    }

    /**
     * The variables that {@code allowed} does not know: a variable is allowed if its name or its first
     * segment followed by '.' ({@code header.}, {@code json.}) is in the collection.
     */
    public List<String> unknownVariables(Collection<String> allowed) {
        List<String> unknown = new ArrayList<>();
        for (String name : variables()) {
            int dot = name.indexOf('.');
            boolean known = allowed.contains(name) || (dot > 0 && allowed.contains(name.substring(0, dot + 1)));
            if (!known) {
                unknown.add(name);
            }
        }
        return unknown;
    }

    /**
     * Renders the template.
     *
     * @param values gives a variable's value, or null if it has none
     * @throws MissingValueException if a variable has no value
     */
    public String render(Function<String, String> values) {
        if (parts.size() == 1 && parts.get(0) instanceof String only) {
            return only;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (Object part : parts) {
            if (part instanceof Variable v) {
                String value = values.apply(v.name());
                if (value == null) {
                    throw new MissingValueException(v.name(), text);
                }
                out.append(value);
            } else {
                out.append((String) part);
            }
        }
        return out.toString();
    }

    /** True if the template has no variables. */
    public boolean isConstant() {
        return variables().isEmpty();
    }

    /** Two templates are equal when written the same way; a configuration reload compares routes by it. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Template that && text.equals(that.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }

    static boolean isName(String name) {
        if (name.isEmpty() || !Character.isLetter(name.charAt(0))) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!Character.isLetterOrDigit(c) && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    static boolean isPath(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (String segment : name.split("\\.", -1)) {
            if (!isName(segment) && !segment.chars().allMatch(Character::isDigit)) {
                return false;
            }
            if (segment.isEmpty()) {
                return false;
            }
        }
        return true;
    }
}
