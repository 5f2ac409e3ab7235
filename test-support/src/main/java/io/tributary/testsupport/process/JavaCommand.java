package io.tributary.testsupport.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM that runs a main class on this JVM's class path, for tests that start a
 * program of this project in its own process (to stop it, or to {@code kill -9} it).
 *
 * <p>The class path goes in a java argument file: Linux caps one command-line argument at 128 KiB, which a class
 * path of a few hundred jars can pass. Surefire starts tests with a manifest-only jar on java.class.path and puts
 * the real path in surefire.test.class.path.
 */
public final class JavaCommand {

    private JavaCommand() {
    }

    /**
     * {@code java FLAGS @ARGFILE MAIN ARGS}, with the argument file written to {@code argumentFile}.
     */
    public static List<String> of(Path argumentFile, List<String> jvmFlags, String mainClass, List<String> args) {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String quoted = "\"" + classPath.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        try {
            Files.createDirectories(argumentFile.toAbsolutePath().getParent());
            Files.writeString(argumentFile, "-cp " + quoted + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add("@" + argumentFile.toAbsolutePath());
        command.add(mainClass);
        command.addAll(args);
        return command;
    }
}
