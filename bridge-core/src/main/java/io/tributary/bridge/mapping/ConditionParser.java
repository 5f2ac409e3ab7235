package io.tributary.bridge.mapping;

import io.tributary.bridge.mapping.Condition.Comparison;
import io.tributary.bridge.mapping.Condition.Expression;
import io.tributary.bridge.mapping.Condition.Operand;
import io.tributary.bridge.mapping.Condition.Operator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads the text of a {@link Condition}: a tokenizer and a recursive descent parser, one token of look-ahead. */
final class ConditionParser {

    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");
    private static final Pattern WORD = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");
    private static final Pattern SYMBOL = Pattern.compile("==|!=|>=|<=|>|<|\\(|\\)");
    private static final String VALUE = "a value ({name}, 'text' or a number)";
    private static final String OPERATORS = "an operator (==, !=, >, >=, <, <=, contains, matches or exists)";
    private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "contains", "matches", "exists");

    private enum Kind { VARIABLE, STRING, NUMBER, WORD, SYMBOL, END }

    /** A token; {@code value} is a variable's name or a string without its quotes, else the text as written. */
    private record Token(Kind kind, String value, int start) {
        boolean is(Kind k, String v) {
            return kind == k && value.equals(v);
        }
    }

    private final String text;
    private final List<Token> tokens;
    private final Set<String> variables = new LinkedHashSet<>();
    private int next;

    private ConditionParser(String text) {
        this.text = text;
        this.tokens = tokenize();
    }

    static Condition parse(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("expected a comparison such as {site} == 's1', got nothing");
        }
        ConditionParser parser = new ConditionParser(text);
        Expression expression = parser.or();
        if (parser.peek().kind() != Kind.END) {
            throw parser.expected("'and', 'or' or the end", parser.peek());
        }
        return new Condition(text, expression, List.copyOf(parser.variables));
    }

    private Expression or() {
        Expression left = and();
        while (accept(Kind.WORD, "or")) {
            left = new Condition.Or(left, and());
        }
        return left;
    }

    private Expression and() {
        Expression left = unary();
        while (accept(Kind.WORD, "and")) {
            left = new Condition.And(left, unary());
        }
        return left;
    }

    private Expression unary() {
        if (accept(Kind.WORD, "not")) {
            return new Condition.Not(unary());
        }
        if (accept(Kind.SYMBOL, "(")) {
            Expression inner = or();
            if (!accept(Kind.SYMBOL, ")")) {
                throw expected("')'", peek());
            }
            return inner;
        }
        return comparison();
    }

    private Expression comparison() {
        Operand left = operand();
        if (left instanceof Condition.Variable variable && accept(Kind.WORD, "exists")) {
            return new Condition.Exists(variable.name());
        }
        Token token = peek();
        Operator operator = Arrays.stream(Operator.values())
                .filter(o -> (token.kind() == Kind.SYMBOL || token.kind() == Kind.WORD) && token.value().equals(o.symbol))
                .findFirst()
                .orElseThrow(() -> expected(OPERATORS, token));
        next++;
        if (operator != Operator.MATCHES) {
            return new Comparison(left, operator, operand(), null);
        }
        Token regex = peek();
        if (regex.kind() != Kind.STRING) {
            throw expected("a quoted regular expression", regex);
        }
        next++;
        try {
            return new Comparison(left, operator, new Condition.Literal(regex.value()), Pattern.compile(regex.value()));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("expected a valid regular expression at character " + (regex.start() + 1)
                    + " of '" + text + "': " + e.getDescription());
        }
    }

    private Operand operand() {
        Token token = peek();
        switch (token.kind()) {
            case VARIABLE -> variables.add(token.value());
            case STRING, NUMBER -> { }
            default -> throw expected(VALUE, token);
        }
        next++;
        return token.kind() == Kind.VARIABLE ? new Condition.Variable(token.value()) : new Condition.Literal(token.value());
    }

    private Token peek() {
        return tokens.get(next);
    }

    private boolean accept(Kind kind, String value) {
        if (peek().is(kind, value)) {
            next++;
            return true;
        }
        return false;
    }

    private IllegalArgumentException expected(String what, Token found) {
        String got = switch (found.kind()) {
            case END -> "";
            case VARIABLE -> ", got {" + found.value() + "}";
            case STRING -> ", got a string";
            case WORD -> ", got '" + found.value() + "'" + (KEYWORDS.contains(found.value()) ? ""
                    : " (quote text: '" + found.value() + "')");
            default -> ", got '" + found.value() + "'";
        };
        return error("expected " + what, found.start(), got);
    }

    private IllegalArgumentException error(String message, int at, String got) {
        String where = at >= text.length() ? " at the end of '" : " at character " + (at + 1) + " of '";
        return new IllegalArgumentException(message + where + text + "'" + got);
    }

    private List<Token> tokenize() {
        List<Token> result = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            if (Character.isWhitespace(text.charAt(i))) {
                i++;
                continue;
            }
            Token token = token(i);
            result.add(token);
            i = token.kind() == Kind.END ? text.length() : end(token, i);
        }
        result.add(new Token(Kind.END, "", text.length()));
        return result;
    }

    /** Where a token that starts at {@code start} ends; strings and variables are not their written length. */
    private int end(Token token, int start) {
        return switch (token.kind()) {
            case VARIABLE -> text.indexOf('}', start) + 1;
            case STRING -> closingQuote(start) + 1;
            default -> start + token.value().length();
        };
    }

    private Token token(int start) {
        char c = text.charAt(start);
        if (c == '{') {
            int close = text.indexOf('}', start);
            if (close < 0) {
                throw error("expected '}'", text.length(), ", for the variable at character " + (start + 1));
            }
            String name = text.substring(start + 1, close).trim();
            if (!Template.isPath(name)) {
                throw error("expected a variable name (letters, digits, '_' and '-', joined by dots)", start + 1,
                        ", got '" + name + "'");
            }
            return new Token(Kind.VARIABLE, name, start);
        }
        if (c == '\'') {
            return new Token(Kind.STRING, unquote(start), start);
        }
        if (c == '=' && !text.startsWith("==", start)) {
            throw error("expected " + OPERATORS, start, ", got '=' (write == to compare)");
        }
        for (Pattern pattern : List.of(NUMBER, SYMBOL, WORD)) {
            Matcher m = pattern.matcher(text).region(start, text.length());
            if (m.lookingAt()) {
                Kind kind = pattern == NUMBER ? Kind.NUMBER : pattern == SYMBOL ? Kind.SYMBOL : Kind.WORD;
                return new Token(kind, m.group(), start);
            }
        }
        throw error("expected " + VALUE + ", an operator, 'and', 'or', 'not' or a parenthesis", start,
                ", got '" + c + "'");
    }

    private String unquote(int start) {
        int close = closingQuote(start);
        return text.substring(start + 1, close).replace("\\'", "'");
    }

    private int closingQuote(int start) {
        for (int i = start + 1; i < text.length(); i++) {
            if (text.charAt(i) == '\\' && i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                i++;
            } else if (text.charAt(i) == '\'') {
                return i;
            }
        }
        throw error("expected a closing quote", text.length(), ", for the string at character " + (start + 1));
    }
}
