package io.tributary.bench.report;

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
}
