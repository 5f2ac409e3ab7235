package io.tributary.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The facts about this machine that a reader needs to judge benchmark numbers. */
public final class MachineFacts {

    private MachineFacts() {
    }

    /** Lines such as {@code - CPUs (nproc): 2}, for the head of a report. */
    public static List<String> describe(Path mosquittoBinary) {
        List<String> lines = new ArrayList<>();
        lines.add("- CPUs (nproc): " + Runtime.getRuntime().availableProcessors()
                + firstMatch("/proc/cpuinfo", "model name", " (", ")"));
        lines.add("- Memory: " + firstMatch("/proc/meminfo", "MemTotal", "", "").trim());
        lines.add("- Kernel: " + read("/proc/sys/kernel/osrelease"));
        lines.add("- Java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        lines.add("- Mosquitto: " + mosquittoVersion(mosquittoBinary));
        lines.add("- Max open files (driver): " + firstMatch("/proc/self/limits", "Max open files", "", "").trim());
        return lines;
    }

    private static String firstMatch(String file, String prefix, String before, String after) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(prefix)) {
                    String value = line.contains(":") ? line.substring(line.indexOf(':') + 1).trim()
                            : line.substring(prefix.length()).trim().replaceAll("\\s+", " ");
                    return before + value + after;
                }
            }
        } catch (IOException e) {
            // not Linux: leave it out
        }
        return "";
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The first line of {@code mosquitto -h}, which names the version. */
    public static String mosquittoVersion(Path binary) {
        if (binary == null || !Files.isExecutable(binary)) {
            return "not installed";
        }
        try {
            Process process = new ProcessBuilder(binary.toString(), "-h").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(5, TimeUnit.SECONDS);
            return out.lines().filter(l -> l.contains("version")).findFirst().orElse("unknown").trim();
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
