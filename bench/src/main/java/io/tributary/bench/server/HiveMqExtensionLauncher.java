package io.tributary.bench.server;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * HiveMQ CE with Tributary's extension installed as users install it: the zip that {@code mvn package} builds in
 * {@code hivemq-extension/target} unzipped into HiveMQ's {@code extensions/} folder, its {@code tributary.yaml}
 * replaced by the run's. HiveMQ runs from {@link HiveMqCeServer} in a JVM of its own whose class path is HiveMQ CE's
 * only (the module's {@code hivemq-ce.classpath} and {@code hivemq-ce-lib/}, plus this module's and test-support's
 * classes for the main class), so every class of Tributary's comes from the zip. Immutable; {@link #command} writes
 * only under the work folder it is given.
 *
 * @param extensionTarget the hivemq-extension module's {@code target} folder after {@code mvn package}
 * @param tributaryYaml the extension's configuration: connections and routes, no {@code broker} section
 * @param maxQueued HiveMQ's max-queue-size, as for the HiveMQ CE broker of the other systems
 */
public record HiveMqExtensionLauncher(Path extensionTarget, String tributaryYaml, long maxQueued)
        implements BrokerLauncher {

    /** Its id, in {@code --systems} too. */
    public static final String ID = "hivemq-extension";
    /** Its name in reports. */
    public static final String DISPLAY_NAME = "HiveMQ CE + extension";
    /** The extension's folder inside the zip and under {@code extensions/}. */
    private static final String EXTENSION_FOLDER = "tributary";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String displayName() {
        return DISPLAY_NAME;
    }

    @Override
    public String settings() {
        return "HiveMQ CE embedded edition 2025.5 (in-memory persistence, max-queue-size " + maxQueued + ", strategy "
                + "discard, other settings default) with Tributary's extension unzipped from "
                + "hivemq-extension/target into its extensions folder; JVM flags: "
                + String.join(" ", JvmBrokerLauncher.SHARED_FLAGS);
    }

    @Override
    public List<String> command(int port, Path workDir) throws IOException {
        Path extensions = Files.createDirectories(workDir.resolve("extensions"));
        unzip(zip(), extensions);
        Files.writeString(extensions.resolve(EXTENSION_FOLDER).resolve("tributary.yaml"), tributaryYaml);
        List<String> command = new ArrayList<>();
        command.add(JvmBrokerLauncher.java());
        command.addAll(JvmBrokerLauncher.SHARED_FLAGS);
        command.add(JvmBrokerLauncher.LOGGING_FLAG);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classPath()));
        command.add(HiveMqCeServer.class.getName());
        command.add(Integer.toString(port));
        command.add(workDir.toString());
        command.add(Long.toString(maxQueued));
        return command;
    }

    private Path zip() throws IOException {
        try (Stream<Path> files = Files.list(requireBuilt(extensionTarget))) {
            return files.filter(file -> file.getFileName().toString().matches("tributary-hivemq-extension-.*\\.zip"))
                    .findFirst().orElseThrow(() -> new IOException("no tributary-hivemq-extension-*.zip in "
                            + extensionTarget + ": build it with mvn -q -DskipTests package -pl hivemq-extension -am"));
        }
    }

    /** HiveMQ CE's class path as the module wrote it, its RocksDB, and the main class's own classes. */
    private List<String> classPath() throws IOException {
        List<String> entries = new ArrayList<>();
        Path written = requireBuilt(extensionTarget.resolve("hivemq-ce.classpath"));
        for (String entry : Files.readString(written).strip().split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                entries.add(entry);
            }
        }
        try (Stream<Path> jars = Files.list(requireBuilt(extensionTarget.resolve("hivemq-ce-lib")))) {
            jars.map(Path::toString).filter(name -> name.endsWith(".jar")).sorted().forEach(entries::add);
        }
        // HiveMqCeServer and the HiveMqHome it uses: this module's jar or classes, and test-support's.
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = entry.replace(File.separatorChar, '/');
            if (name.matches(".*/tributary-(bench|test-support)-[^/]*\\.jar")
                    || name.matches(".*/(bench|test-support)/target/classes/?")) {
                entries.add(entry);
            }
        }
        return entries;
    }

    private static Path requireBuilt(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new IOException(path + " is missing: build it with mvn -q -DskipTests package -pl hivemq-extension "
                    + "-am");
        }
        return path;
    }

    private static void unzip(Path zip, Path into) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException(zip + ": entry outside its folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    copy(in, target);
                }
            }
        }
    }

    private static void copy(InputStream in, Path target) throws IOException {
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
}
