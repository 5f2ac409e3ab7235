package io.tributary.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The opening every benchmark report shares: its title, when and how it ran, and the machine it ran on. */
public final class ReportHeading {

    private ReportHeading() {
    }

    /**
     * The title, the line saying when and how the benchmark ran, and the "Machine" section; the report goes on with
     * its own lines.
     *
     * @param command the command to name when the system property {@code bench.command} (set by
     *     {@code bench/run.sh}) is not set
     */
    public static List<String> lines(String title, ZonedDateTime now, boolean quick, String command,
                                     Path mosquittoBinary) {
        List<String> lines = new ArrayList<>();
        lines.add("# " + title);
        lines.add("");
        lines.add("Run " + now.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT))
                + (quick ? ", **quick mode** (short windows: for a look, not for numbers to quote)" : ", full mode")
                + ". Command: `" + System.getProperty("bench.command", command) + "`");
        lines.add("");
        lines.add("## Machine");
        lines.add("");
        lines.addAll(MachineFacts.describe(mosquittoBinary));
        return lines;
    }

    /**
     * {@link #lines} for a benchmark that runs Tributary from its jar: with the source revision the jar and the driver
     * were built from, up to the heading of the method.
     *
     * @param script the command that builds and runs it, such as {@code bench/run.sh kafka}
     */
    public static List<String> linesWithSource(String title, ZonedDateTime now, boolean quick, String command,
                                               Path mosquittoBinary, String script) {
        List<String> lines = lines(title, now, quick, command, mosquittoBinary);
        lines.add("- Source: " + sourceRevision() + " (`" + script + "` builds the Tributary jar and the driver from "
                + "the working tree)");
        lines.add("");
        lines.add("## Method");
        lines.add("");
        return lines;
    }

    /** How many I/O threads the driver's clients share, in the words of the method section. */
    public static String ioThreads(int threads) {
        return threads == 0 ? "the client library's default I/O threads"
                : threads + " I/O thread" + (threads == 1 ? "" : "s");
    }

    /**
     * The commit of the working directory, and whether files outside {@code bench/} and {@code docs/} (what the
     * Tributary jar is built from) have uncommitted changes; "unknown" without git.
     */
    public static String sourceRevision() {
        String commit = git("rev-parse", "--short", "HEAD");
        if (commit == null || commit.isEmpty()) {
            return "unknown";
        }
        String changes = git("status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)bench",
                ":(exclude)docs");
        return "commit " + commit + (changes == null ? "" : changes.isEmpty() ? ", no uncommitted changes outside "
                + "bench/ and docs/" : ", **with uncommitted changes outside bench/ and docs/**");
    }

    private static String git(String... args) {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(List.of(args));
        try {
            Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return git.waitFor() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
