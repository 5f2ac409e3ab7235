package io.tributary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/tributary in a checkout: when it builds the jar, and what it prints. It runs on a copy of the script in
 * a checkout made of a few files, with stand-ins for {@code mvn} (which prints Maven 3.8's escape codes and
 * writes the jar) and {@code java} (which prints its arguments).
 */
class LauncherTest {

    private static final Path SCRIPT = Path.of("..", "bin", "tributary");
    private static final Instant HOUR_AGO = Instant.now().minusSeconds(3600);

    @TempDir
    Path checkout;

    private Path jar;
    private Path tools;

    @BeforeEach
    void checkout() throws IOException {
        Files.createDirectories(checkout.resolve("bin"));
        Files.copy(SCRIPT, checkout.resolve("bin/tributary"));
        executable(checkout.resolve("bin/tributary"));
        Files.writeString(checkout.resolve("pom.xml"), "<project/>");
        Files.createDirectories(checkout.resolve("app/src/main/java"));
        Files.writeString(checkout.resolve("app/pom.xml"), "<project/>");
        Files.writeString(checkout.resolve("app/src/main/java/Main.java"), "class Main {}");
        jar = checkout.resolve("app/target/tributary.jar");
        tools = Files.createDirectory(checkout.resolve("tools"));
        script("mvn", "echo \"mvn $*\" >> \"" + checkout.resolve("mvn-calls") + "\"\n"
                + "mkdir -p app/target && echo jar > app/target/tributary.jar\n"
                + "printf '\\033[0m\\033[0m'\n");
        script("java", "echo \"java $*\"\n");
        for (String tool : new String[] {"find", "head", "mktemp", "rm", "sed", "touch", "mkdir"}) {
            Files.createSymbolicLink(tools.resolve(tool), onPath(tool));
        }
    }

    @Test
    void buildsAMissingJarAndKeepsMavensOutputOutOfTheLog() throws Exception {
        Run run = launch("version");

        assertEquals(0, run.exitCode, run.output);
        assertEquals("tributary: building app/target/tributary.jar (it is missing)...\n"
                + "java -jar " + jar.toRealPath() + " version\n", run.output);
        assertFalse(run.output.contains("\033"), "escape codes in: " + run.output);
        assertEquals(1, mavenCalls());
    }

    @Test
    void runsACurrentJarWithoutBuilding() throws Exception {
        makeJar(Instant.now());

        Run run = launch("run");

        assertEquals("java -jar " + jar.toRealPath() + " run\n", run.output);
        assertEquals(0, mavenCalls());
    }

    @Test
    void rebuildsAJarOlderThanASourceFile() throws Exception {
        makeJar(HOUR_AGO);
        Files.setLastModifiedTime(checkout.resolve("app/src/main/java/Main.java"), FileTime.from(Instant.now()));

        Run run = launch("run");

        assertTrue(run.output.startsWith("tributary: building app/target/tributary.jar "
                + "(app/src/main/java/Main.java is newer than it)...\n"), run.output);
        assertEquals(1, mavenCalls());
    }

    @Test
    void rebuildsAJarOlderThanAPom() throws Exception {
        makeJar(HOUR_AGO);
        Files.setLastModifiedTime(checkout.resolve("app/pom.xml"), FileTime.from(Instant.now()));

        Run run = launch("run");

        assertTrue(run.output.startsWith("tributary: building app/target/tributary.jar (app/pom.xml is newer"),
                run.output);
    }

    @Test
    void theDefaultJvmFlagsComeFirstAndJavaOptsWins() throws Exception {
        makeJar(Instant.now());

        Run run = launch(java.util.Map.of("JAVA_OPTS", "-Xmx1g -Dx=y"), "run");

        assertTrue(run.output.startsWith("java -XX:+UseSerialGC -Xms8m "), run.output);
        assertTrue(run.output.endsWith(" -Xmx1g -Dx=y -jar " + jar.toRealPath() + " run\n"),
                "JAVA_OPTS must come last, so that its -Xmx wins: " + run.output);
    }

    @Test
    void theNativeHeapIsTrimmedWhereTheJvmKnowsTheFlag() throws Exception {
        makeJar(Instant.now());

        Run run = launch(java.util.Map.of(), "run");

        assertTrue(run.output.contains(" -XX:TrimNativeHeapInterval=5000 -jar "), run.output);
    }

    @Test
    void aJvmThatRefusesTheTrimFlagStartsWithoutIt() throws Exception {
        makeJar(Instant.now());
        // Java 17 before 17.0.9: "Unrecognized VM option", exit code 1.
        script("java", "case \"$*\" in *TrimNativeHeapInterval*-version*) exit 1;; esac\necho \"java $*\"\n");

        Run run = launch(java.util.Map.of(), "run");

        assertEquals(0, run.exitCode, run.output);
        assertFalse(run.output.contains("TrimNativeHeapInterval"), run.output);
        assertTrue(run.output.startsWith("java -XX:+UseSerialGC -Xms8m ") && run.output.contains(" -jar "), run.output);
    }

    @Test
    void aCollectorChosenInJavaOptsReplacesTheDefaultOne() throws Exception {
        makeJar(Instant.now());

        Run run = launch(java.util.Map.of("JAVA_OPTS", "-XX:+UseG1GC"), "run");

        assertFalse(run.output.contains("UseSerialGC"), "the JVM refuses two collectors: " + run.output);
        assertTrue(run.output.contains(" -Xms8m ") && run.output.contains(" -XX:+UseG1GC -jar "), run.output);
    }

    @Test
    void withoutMavenAnOldJarRunsWithAWarning() throws Exception {
        makeJar(HOUR_AGO);
        Files.setLastModifiedTime(checkout.resolve("app/src/main/java/Main.java"), FileTime.from(Instant.now()));
        Files.delete(tools.resolve("mvn"));

        Run run = launch("run");

        assertTrue(run.output.startsWith("tributary: warning: app/target/tributary.jar is older than the sources"),
                run.output);
        assertTrue(run.output.endsWith("java -jar " + jar.toRealPath() + " run\n"), run.output);
    }

    /** A jar modified at {@code modified}, and every source a minute older than an hour ago. */
    private void makeJar(Instant modified) throws IOException {
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "jar");
        for (String source : new String[] {"pom.xml", "app/pom.xml", "app/src/main/java/Main.java"}) {
            Files.setLastModifiedTime(checkout.resolve(source), FileTime.from(HOUR_AGO.minusSeconds(60)));
        }
        Files.setLastModifiedTime(jar, FileTime.from(modified));
    }

    /** Where {@code tool} is on this test's PATH. */
    private static Path onPath(String tool) {
        for (String folder : System.getenv("PATH").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(folder, tool);
            if (Files.isExecutable(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IllegalStateException(tool + " is not on the PATH");
    }

    private int mavenCalls() throws IOException {
        Path calls = checkout.resolve("mvn-calls");
        return Files.exists(calls) ? Files.readAllLines(calls).size() : 0;
    }

    private void script(String name, String body) throws IOException {
        Path file = Files.writeString(tools.resolve(name), "#!/bin/sh\n" + body);
        executable(file);
    }

    private static void executable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private record Run(int exitCode, String output) {
    }

    /** Runs the launcher with no default JVM flags (TRIBUTARY_JVM_DEFAULTS empty): the command line is plain. */
    private Run launch(String... args) throws Exception {
        return launch(java.util.Map.of("TRIBUTARY_JVM_DEFAULTS", ""), args);
    }

    /** Runs the launcher with PATH and {@code environment} only. */
    private Run launch(java.util.Map<String, String> environment, String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = checkout.resolve("bin/tributary").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder builder = new ProcessBuilder(command).directory(checkout.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", tools.toString());
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        return new Run(process.exitValue(), output);
    }
}
