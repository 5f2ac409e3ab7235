package io.tributary.bridge.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionTest {

    @Test
    void equalityComparesText() {
        Condition condition = Condition.parse("{site} == 's1'");

        assertTrue(condition.test(Map.of("site", "s1")::get));
        assertFalse(condition.test(Map.of("site", "s2")::get));
    }

    @Test
    void equalityComparesNumbersByValue() {
        assertTrue(Condition.parse("{json.t} == 30").test(Map.of("json.t", "30.0")::get));
    }

    @Test
    void inequalityIsTheOppositeOfEquality() {
        Condition condition = Condition.parse("{kind} != 'test'");

        assertTrue(condition.test(Map.of("kind", "live")::get));
        assertFalse(condition.test(Map.of("kind", "test")::get));
    }

    @Test
    void orderingComparesNumbersNotText() {
        // As text "100" sorts before "30".
        assertTrue(Condition.parse("{json.t} > 30").test(Map.of("json.t", "100")::get));
        assertFalse(Condition.parse("{json.t} < 30").test(Map.of("json.t", "100")::get));
    }

    @Test
    void orderingIncludesEqualityOnlyForItsOrEqualForms() {
        Map<String, String> values = Map.of("n", "5");

        assertTrue(Condition.parse("{n} >= 5 and {n} <= 5").test(values::get));
        assertFalse(Condition.parse("{n} > 5 or {n} < 5").test(values::get));
    }

    @Test
    void orderingOfTextIsFalse() {
        assertFalse(Condition.parse("{n} > 3").test(Map.of("n", "abc")::get));
        assertFalse(Condition.parse("{n} <= 3").test(Map.of("n", "abc")::get));
    }

    @Test
    void negativeAndFractionalNumbersAreLiterals() {
        assertTrue(Condition.parse("{t} < -2.5").test(Map.of("t", "-3")::get));
    }

    @Test
    void containsLooksForText() {
        Condition condition = Condition.parse("{topic} contains 'alarm'");

        assertTrue(condition.test(Map.of("topic", "sites/s1/alarms")::get));
        assertFalse(condition.test(Map.of("topic", "sites/s1/telemetry")::get));
    }

    @Test
    void matchesNeedsTheWholeValueToMatch() {
        Condition condition = Condition.parse("{device} matches 'd[0-9]+'");

        assertTrue(condition.test(Map.of("device", "d42")::get));
        assertFalse(condition.test(Map.of("device", "d42x")::get));
    }

    @Test
    void existsIsTrueOnlyWhenTheVariableHasAValue() {
        Condition condition = Condition.parse("{header.kind} exists");

        assertTrue(condition.test(Map.of("header.kind", "")::get));
        assertFalse(condition.test(Map.<String, String>of()::get));
    }

    @Test
    void variableWithoutValueMakesItsComparisonFalse() {
        assertFalse(Condition.parse("{json.t} != 'x'").test(name -> null));
    }

    @Test
    void andBindsTighterThanOr() {
        Condition condition = Condition.parse("{a} == 1 or {b} == 1 and {c} == 1");

        assertTrue(condition.test(Map.of("a", "1", "b", "0", "c", "0")::get));
    }

    @Test
    void parenthesesAndNotGroupAndNegate() {
        Condition condition = Condition.parse("not ({a} == 1 or {b} == 1) and {c} == 1");

        assertTrue(condition.test(Map.of("a", "0", "b", "0", "c", "1")::get));
        assertFalse(condition.test(Map.of("a", "1", "b", "0", "c", "1")::get));
    }

    @Test
    void quotedStringsMayBeEmptyOrHoldAnEscapedQuote() {
        assertTrue(Condition.parse("{a} == ''").test(Map.of("a", "")::get));
        assertTrue(Condition.parse("{a} == 'it\\'s'").test(Map.of("a", "it's")::get));
    }

    @Test
    void variablesAreListedOnceInOrderOfAppearance() {
        Condition condition = Condition.parse("{b} == 1 or ({a} exists and {b} != {json.c})");

        assertEquals(List.of("b", "a", "json.c"), condition.variables());
    }

    @Test
    void unknownVariablesFollowTheRuleOfTemplates() {
        Condition condition = Condition.parse("{site} == 's1' and {json.t} > 3 and {sitee} exists");

        assertEquals(List.of("sitee"), condition.unknownVariables(List.of("site", "json.")));
    }

    @Test
    void singleEqualsSignIsAnErrorAtItsCharacter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Condition.parse("{a} = 1"));

        assertEquals("expected an operator (==, !=, >, >=, <, <=, contains, matches or exists) at character 5 of "
                + "'{a} = 1', got '=' (write == to compare)", e.getMessage());
    }

    @Test
    void missingOperandIsAnErrorAtTheEnd() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Condition.parse("{a} >="));

        assertEquals("expected a value ({name}, 'text' or a number) at the end of '{a} >='", e.getMessage());
    }

    @Test
    void unquotedTextIsAnErrorThatSuggestsQuotes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Condition.parse("{site} == s1"));

        assertEquals("expected a value ({name}, 'text' or a number) at character 11 of '{site} == s1', got 's1' "
                + "(quote text: 's1')", e.getMessage());
    }

    @Test
    void unclosedStringIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Condition.parse("{a} == 'x"));

        assertEquals("expected a closing quote at the end of '{a} == 'x', for the string at character 8",
                e.getMessage());
    }

    @Test
    void unclosedParenthesisIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Condition.parse("({a} == 1"));

        assertEquals("expected ')' at the end of '({a} == 1'", e.getMessage());
    }

    @Test
    void textAfterACompleteConditionIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Condition.parse("{a} == 1 {b} == 2"));

        assertEquals("expected 'and', 'or' or the end at character 10 of '{a} == 1 {b} == 2', got {b}", e.getMessage());
    }

    @Test
    void badRegularExpressionIsAParseError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Condition.parse("{a} matches '(x'"));

        assertEquals("expected a valid regular expression at character 13 of '{a} matches '(x'': Unclosed group",
                e.getMessage());
    }

    @Test
    void matchesNeedsAQuotedExpression() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Condition.parse("{a} matches {b}"));

        assertEquals("expected a quoted regular expression at character 13 of '{a} matches {b}', got {b}",
                e.getMessage());
    }

    @Test
    void badVariableNameIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Condition.parse("{a b} exists"));

        assertEquals("expected a variable name (letters, digits, '_' and '-', joined by dots) at character 2 of "
                + "'{a b} exists', got 'a b'", e.getMessage());
    }

    @Test
    void emptyConditionIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Condition.parse(" "));

        assertEquals("expected a comparison such as {site} == 's1', got nothing", e.getMessage());
    }
}
