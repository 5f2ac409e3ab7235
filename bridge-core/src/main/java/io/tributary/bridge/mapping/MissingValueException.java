package io.tributary.bridge.mapping;

/** A template referred to a variable that the message does not have (a missing header or JSON field). */
public class MissingValueException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String variable;

    public MissingValueException(String variable, String template) {
        super("the message has no value for {" + variable + "} in '" + template + "'");
        this.variable = variable;
    }

    public String variable() {
        return variable;
    }
}
