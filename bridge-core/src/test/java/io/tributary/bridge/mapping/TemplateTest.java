package io.tributary.bridge.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {

    @Test
    void rendersVariablesBetweenLiterals() {
        Template template = Template.parse("telemetry.{site}.{device}");
        assertEquals("telemetry.s1.d7", template.render(Map.of("site", "s1", "device", "d7")::get));
        assertEquals(List.of("site", "device"), template.variables());
    }

    @Test
    void dottedPathsNameHeadersAndJsonFields() {
        Template template = Template.parse("devices/{key}/{header.tenant}/{json.meta.id}");
        assertEquals("devices/k/t/42",
                template.render(Map.of("key", "k", "header.tenant", "t", "json.meta.id", "42")::get));
    }

    @Test
    void doubledBracesAreLiteralBraces() {
        assertEquals("{x}-1", Template.parse("{{x}}-{n}").render(Map.of("n", "1")::get));
    }

    @Test
    void constantTemplateRendersItself() {
        Template template = Template.parse("commands");
        assertTrue(template.isConstant());
        assertEquals("commands", template.render(name -> null));
    }

    @Test
    void missingValueNamesTheVariable() {
        MissingValueException e = assertThrows(MissingValueException.class,
                () -> Template.parse("t.{json.site}").render(name -> null));
        assertEquals("json.site", e.variable());
    }

    @Test
    void unknownVariablesAreReportedAgainstTheAllowedNamesAndPrefixes() {
        Template template = Template.parse("{site}/{header.a}/{json.b}/{typo}");
        assertEquals(List.of("typo"), template.unknownVariables(List.of("site", "header.", "json.")));
    }

    @Test
    void malformedTemplatesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Template.parse("a{b"));
        assertThrows(IllegalArgumentException.class, () -> Template.parse("a}b"));
        assertThrows(IllegalArgumentException.class, () -> Template.parse("{}"));
        assertThrows(IllegalArgumentException.class, () -> Template.parse("{a..b}"));
    }
}
