package io.tributary.bridge.mapping;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Which messages a route takes: comparisons of template values with literals, such as
 * {@code {site} == 's1'} or {@code {json.temperature} > 30 and {header.kind} != 'test'}.
 *
 * <p>Comparisons are joined by {@code and} and {@code or} ({@code and} binds tighter), negated by
 * {@code not} and grouped by parentheses. The operators are {@code ==}, {@code !=}, {@code >}, {@code >=},
 * {@code <}, {@code <=}, {@code contains}, {@code matches} (a Java regular expression that must match the
 * whole value) and the unary {@code exists}. Operands are variables ({@code {name}}), quoted strings
 * ({@code 's1'}, with {@code \'} for a quote) or numbers ({@code 30}, {@code -2.5}).
 */
public final class Condition {

    private final String text;
    private final Expression expression;
    private final List<String> variables;

    Condition(String text, Expression expression, List<String> variables) {
        this.text = text;
        this.expression = expression;
        this.variables = List.copyOf(variables);
    }

    /** Parses a condition. @throws IllegalArgumentException saying what was expected and at which character */
    public static Condition parse(String text) {
        return ConditionParser.parse(Objects.requireNonNull(text, "text"));
    }

    /** The variable names used, in order of first appearance. */
    public List<String> variables() {
        return variables;
    }

    /**
     * The variables that {@code allowed} does not know, by the rule of {@link Template#unknownVariables}:
     * a name is known if it, or its first segment followed by '.', is allowed.
     */
    public List<String> unknownVariables(Collection<String> allowed) {
        // Template owns the rule of which names a prefix such as "json." allows.
        return variables.stream()
                .filter(name -> !Template.parse("{" + name + "}").unknownVariables(allowed).isEmpty())
                .toList();
    }

    /** Whether a message with these variable values passes; a variable without value makes its comparison false. */
    public boolean test(Function<String, String> values) {
        return expression.test(values);
    }

    /** Two conditions are equal when written the same way; a configuration reload compares routes by it. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Condition that && text.equals(that.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }

    /** A node of the parsed condition. */
    sealed interface Expression {
        boolean test(Function<String, String> values);
    }

    record And(Expression left, Expression right) implements Expression {
        @Override
        public boolean test(Function<String, String> values) {
            return left.test(values) && right.test(values);
        }
    }

    record Or(Expression left, Expression right) implements Expression {
        @Override
        public boolean test(Function<String, String> values) {
            return left.test(values) || right.test(values);
        }
    }

    record Not(Expression operand) implements Expression {
        @Override
        public boolean test(Function<String, String> values) {
            return !operand.test(values);
        }
    }

    record Exists(String variable) implements Expression {
        @Override
        public boolean test(Function<String, String> values) {
            return values.apply(variable) != null;
        }
    }

    /** {@code left OPERATOR right}; {@code regex} is the compiled right operand of {@code matches}. */
    record Comparison(Operand left, Operator operator, Operand right, Pattern regex) implements Expression {
        @Override
        public boolean test(Function<String, String> values) {
            String a = left.value(values);
            String b = right.value(values);
            if (a == null || b == null) {
                return false;
            }
            return switch (operator) {
                case EQUAL -> compare(a, b) == 0;
                case NOT_EQUAL -> compare(a, b) != 0;
                case GREATER -> numeric(a, b) && compare(a, b) > 0;
                case GREATER_OR_EQUAL -> numeric(a, b) && compare(a, b) >= 0;
                case LESS -> numeric(a, b) && compare(a, b) < 0;
                case LESS_OR_EQUAL -> numeric(a, b) && compare(a, b) <= 0;
                case CONTAINS -> a.contains(b);
                case MATCHES -> regex.matcher(a).matches();
            };
        }

        /** Numbers compare by value, so that "30.0" equals 30; anything else as text, where only 0 counts. */
        private static int compare(String a, String b) {
            BigDecimal x = number(a);
            BigDecimal y = number(b);
            if (x != null && y != null) {
                return x.compareTo(y);
            }
            return a.equals(b) ? 0 : 1;
        }

        private static boolean numeric(String a, String b) {
            return number(a) != null && number(b) != null;
        }

        private static BigDecimal number(String text) {
            try {
                return new BigDecimal(text.trim());
            } catch (NumberFormatException notANumber) {
                return null;
            }
        }
    }

    /** A comparison operator, as written. */
    enum Operator {
        EQUAL("=="), NOT_EQUAL("!="), GREATER(">"), GREATER_OR_EQUAL(">="), LESS("<"), LESS_OR_EQUAL("<="),
        CONTAINS("contains"), MATCHES("matches");

        final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }
    }

    /** One side of a comparison. */
    sealed interface Operand {
        String value(Function<String, String> values);
    }

    record Variable(String name) implements Operand {
        @Override
        public String value(Function<String, String> values) {
            return values.apply(name);
        }
    }

    record Literal(String text) implements Operand {
        @Override
        public String value(Function<String, String> values) {
            return text;
        }
    }
}
