package io.tributary.bridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hostile YAML is refused with an error, not a crash: deep nesting (which overflowed SnakeYAML's recursive
 * composer with a StackOverflowError before {@link NestingLimitedParser}), aliases multiplying a document
 * ("billion laughs") and collections that contain themselves. {@link ConfigLoaderFuzzTest} covers the rest.
 */
class YamlLimitsTest {

    private static List<ConfigError> errors(String yaml) {
        return assertThrows(ConfigException.class, () -> new ConfigLoader(Map.of()).loadString("t.yaml", yaml))
                .errors();
    }

    private static String only(List<ConfigError> errors) {
        assertEquals(1, errors.size(), errors::toString);
        return errors.get(0).toString();
    }

    @Test
    void deeplyNestedFlowCollectionsAreRefused() {
        assertEquals("t.yaml:1:58: invalid YAML: lists and mappings nested more than 50 levels deep",
                only(errors("broker: " + "[".repeat(100_000))));
    }

    @Test
    void deeplyNestedBlockCollectionsAreRefused() {
        StringBuilder yaml = new StringBuilder("routes:\n");
        for (int i = 0; i < 5_000; i++) {
            yaml.append(" ".repeat(i + 1)).append("-\n");
        }
        assertTrue(only(errors(yaml.toString())).contains("nested more than 50 levels deep"));
    }

    @Test
    void nestingUpToTheLimitIsReadAsUsual() {
        // 49 lists inside the top-level mapping: 50 levels, allowed; the usual error for a wrong shape.
        String error = only(errors("routes: " + "[".repeat(49) + "]".repeat(49)));
        assertTrue(error.startsWith("t.yaml:1:10: routes[0]: expected a mapping"), error);
    }

    @Test
    void aliasesMultiplyingTheDocumentCostNothing() {
        // 3^15 (14 million) leaves if expanded; the loader reads the shared nodes once per place.
        StringBuilder yaml = new StringBuilder("x0: &a0 [x, x, x]\n");
        for (int i = 1; i < 16; i++) {
            String previous = "*a" + (i - 1);
            yaml.append("x").append(i).append(": &a").append(i)
                    .append(" [").append(previous).append(", ").append(previous).append(", ").append(previous).append("]\n");
        }
        yaml.append("routes: *a15\n");
        List<ConfigError> errors = errors(yaml.toString());
        assertTrue(errors.size() < 50, () -> errors.size() + " errors");
    }

    @Test
    void moreThanFiftyAliasesOfCollectionsAreRefused() {
        String yaml = "x: &a [x]\nroutes: [" + "*a, ".repeat(60) + "*a]\n";
        assertTrue(only(errors(yaml)).contains("Number of aliases for non-scalar nodes exceeds the specified max=50"));
    }

    @Test
    void aCollectionContainingItselfIsAWrongShapeNotALoop() {
        List<ConfigError> errors = errors("broker: &b { listeners: *b }\nroutes: &r [ *r ]\n");
        assertEquals(2, errors.size(), errors::toString);
    }
}
