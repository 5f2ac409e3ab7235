package io.tributary.bridge.config;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in scalar values with environment variables.
 * <code>$${</code> is a literal <code>${</code>. As in a POSIX shell, the default is used when the variable is
 * unset or empty, and a reference without a default to an unset variable is an error.
 */
final class EnvInterpolation {

    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final String DEFAULT_SEPARATOR = ":-";

    private final Map<String, String> environment;

    EnvInterpolation(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /**
     * The text with every reference replaced.
     *
     * @throws IllegalArgumentException saying which reference is malformed or names an unset variable
     */
    String apply(String text) {
        if (!text.contains("${")) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (text.startsWith("${", i)) {
                int end = text.indexOf('}', i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("'${' without a closing '}' in '" + text + "'");
                }
                out.append(resolve(text.substring(i + 2, end)));
                i = end + 1;
            } else {
                out.append(text.charAt(i));
                i++;
            }
        }
        return out.toString();
    }

    private String resolve(String reference) {
        int separator = reference.indexOf(DEFAULT_SEPARATOR);
        String name = separator < 0 ? reference : reference.substring(0, separator);
        if (!VARIABLE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'${" + reference + "}' is not a variable reference: write "
                    + "${NAME} or ${NAME:-default}, or $${ for a literal '${'");
        }
        String value = environment.get(name);
        if (separator >= 0) {
            return value == null || value.isEmpty() ? reference.substring(separator + DEFAULT_SEPARATOR.length()) : value;
        }
        if (value != null) {
            return value;
        }
        throw new IllegalArgumentException("environment variable " + name + " is not set; write ${" + name
                + ":-default} to give a default");
    }
}
