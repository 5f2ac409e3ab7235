package io.tributary.bridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigTreeTest {

    @Test
    void everySectionButTheSecretSitsInTheTreeAtItsDocumentedPath() {
        List<String> placedSections = ConfigTree.placed().stream()
                .filter(p -> p.shape() instanceof ConfigTree.Mapping)
                .map(p -> p.path() + " = " + ((ConfigTree.Mapping) p.shape()).section().path())
                .toList();
        List<String> documented = ConfigSchema.SECTIONS.stream()
                .filter(s -> s != ConfigSchema.ROOT && s != ConnectionKeys.SECRET)
                .map(s -> s.path() + " = " + s.path())
                .sorted()
                .toList();

        assertEquals(documented, placedSections.stream().sorted().toList());
    }
}
