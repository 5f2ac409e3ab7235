package io.tributary.bridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/configuration.md} in step with the key declarations. To rewrite its generated part after
 * changing a key: {@code mvn -o -q test -pl bridge-core -Dtest=ConfigReferenceDocTest -Dtributary.docs.write=true}.
 */
class ConfigReferenceDocTest {

    static final Path DOC = Path.of("..", "docs", "configuration.md");
    static final String BEGIN = "<!-- BEGIN KEY REFERENCE: generated from ConfigSchema by "
            + "ConfigReferenceDocTest; do not edit by hand -->";
    static final String END = "<!-- END KEY REFERENCE -->";

    @Test
    void configurationDocHoldsTheReferenceGeneratedFromTheKeyDeclarations() throws IOException {
        String doc = Files.readString(DOC);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        assertTrue(begin >= 0 && end > begin, DOC + " must hold the markers " + BEGIN + " and " + END);
        String generated = "\n\n" + ConfigReference.markdown() + "\n";
        String current = doc.substring(begin + BEGIN.length(), end);

        if (Boolean.getBoolean("tributary.docs.write") && !current.equals(generated)) {
            Files.writeString(DOC, doc.substring(0, begin + BEGIN.length()) + generated + doc.substring(end));
            return;
        }
        assertEquals(generated, current, DOC + " is out of date: run with -Dtributary.docs.write=true");
    }

    @Test
    void everyDeclaredKeyIsInTheReference() throws IOException {
        String doc = Files.readString(DOC);
        for (ConfigSection section : ConfigSchema.SECTIONS) {
            for (ConfigKey<?> key : section.keys()) {
                assertTrue(doc.contains("| `" + key.name() + "` |"), key.name() + " is not documented");
            }
        }
    }
}
