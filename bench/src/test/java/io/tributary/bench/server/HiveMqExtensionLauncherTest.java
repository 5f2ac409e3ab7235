package io.tributary.bench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command that runs HiveMQ CE with the extension: the zip unzipped, the run's configuration, HiveMQ's class path. */
class HiveMqExtensionLauncherTest {

    @TempDir
    Path folder;

    @Test
    void unzipsTheExtensionWritesTheRunsConfigurationAndRunsOnHiveMqsClassPath() throws Exception {
        Path target = Files.createDirectories(folder.resolve("target"));
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(
                target.resolve("tributary-hivemq-extension-1.0.zip")))) {
            entry(zip, "tributary/hivemq-extension.xml", "<hivemq-extension/>");
            entry(zip, "tributary/tributary.yaml", "# the shipped example");
        }
        Files.writeString(target.resolve("hivemq-ce.classpath"), "/ce/a.jar" + File.pathSeparator + "/ce/b.jar\n");
        Files.createDirectories(target.resolve("hivemq-ce-lib"));
        Files.writeString(target.resolve("hivemq-ce-lib").resolve("rocksdbjni-8.3.3.jar"), "");
        Path work = folder.resolve("work");

        List<String> command = new HiveMqExtensionLauncher(target, "routes: []\n", 500).command(1883, work);

        assertEquals("<hivemq-extension/>", Files.readString(work.resolve("extensions/tributary/hivemq-extension.xml")));
        assertEquals("routes: []\n", Files.readString(work.resolve("extensions/tributary/tributary.yaml")));
        String classPath = command.get(command.indexOf("-cp") + 1);
        assertTrue(classPath.startsWith(String.join(File.pathSeparator, "/ce/a.jar", "/ce/b.jar",
                target.resolve("hivemq-ce-lib").resolve("rocksdbjni-8.3.3.jar").toString())), classPath);
        assertEquals(List.of(HiveMqCeServer.class.getName(), "1883", work.toString(), "500"),
                command.subList(command.size() - 4, command.size()));
    }

    @Test
    void aModuleNotBuiltIsNamedWithTheBuildCommand() {
        IOException error = assertThrows(IOException.class, () -> new HiveMqExtensionLauncher(
                folder.resolve("missing"), "", 1).command(1883, folder.resolve("work")));

        assertTrue(error.getMessage().contains("mvn -q -DskipTests package -pl hivemq-extension -am"),
                error.getMessage());
    }

    private static void entry(ZipOutputStream zip, String name, String text) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(text.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }
}
