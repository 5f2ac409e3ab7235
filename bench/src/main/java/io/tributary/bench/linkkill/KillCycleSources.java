package io.tributary.bench.linkkill;

import java.nio.file.Files;
import java.nio.file.Path;

/** The sources {@code link-kills --client} can name. */
public final class KillCycleSources {

    private KillCycleSources() {
    }

    /** @param name paho, paho5 or tributary */
    public static KillCycleSource named(String name, Path appJar, Path workDir) {
        return switch (name) {
            case "paho" -> new CamelPahoSource();
            case "paho5" -> new Paho5Source();
            case "tributary" -> {
                if (!Files.isRegularFile(appJar)) {
                    throw new IllegalArgumentException(appJar + " is missing: build it with "
                            + "mvn -q -DskipTests package -pl app -am, or pass --app-jar");
                }
                yield new TributaryLinkSource(appJar, workDir);
            }
            default -> throw new IllegalArgumentException("--client: expected paho, paho5 or tributary, got " + name);
        };
    }
}
