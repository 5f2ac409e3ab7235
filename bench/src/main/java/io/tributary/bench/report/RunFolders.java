package io.tributary.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Where one benchmark run keeps its work files ({@code <work dir>/<stamp><kind>}) and writes its report
 * ({@code <results dir>/<stamp><kind>[-quick].md}), both named for the UTC moment it started.
 *
 * @param kind "" for the broker comparison, {@code -kafka}, {@code -sinks}
 */
public record RunFolders(ZonedDateTime started, String stamp, String kind, Path workDir, Path resultsDir) {

    /** Folders for a run starting now. */
    public static RunFolders now(String kind, Path workDir, Path resultsDir) {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        return new RunFolders(now, now.format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmmss", Locale.ROOT)), kind,
                workDir, resultsDir);
    }

    /** This run's own folder for configurations, data and logs. */
    public Path workRoot() {
        return workDir.resolve(stamp + kind);
    }

    /** Writes the report and says where it and the logs are. */
    public Path writeReport(boolean quick, String markdown) throws IOException {
        Files.createDirectories(resultsDir);
        Path file = resultsDir.resolve(stamp + kind + (quick ? "-quick" : "") + ".md");
        Files.writeString(file, markdown);
        Progress.say("report written to %s; logs under %s", file, workRoot());
        return file;
    }
}
