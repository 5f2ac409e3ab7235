package io.tributary.bench.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a benchmark finds Mosquitto, and where it writes its work files and report. */
final class RunPlaceOptions {

    @Option(names = "--mosquitto", defaultValue = "/usr/sbin/mosquitto", paramLabel = "PATH") Path mosquitto;
    @Option(names = "--work-dir", defaultValue = "bench/target/bench-run", paramLabel = "DIR") Path workDir;
    @Option(names = "--results-dir", defaultValue = "bench/results", paramLabel = "DIR") Path resultsDir;
}
