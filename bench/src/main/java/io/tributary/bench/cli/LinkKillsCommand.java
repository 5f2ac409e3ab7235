package io.tributary.bench.cli;

import io.tributary.bench.linkkill.KillCycles;
import io.tributary.bench.linkkill.KillCycleSources;
import io.tributary.bench.report.RunFolders;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code link-kills}: kill -9 and restart Mosquitto under a QoS 1 stream; does the source come back within 5 s? */
@Command(name = "link-kills", mixinStandardHelpOptions = true,
        description = "Kill -9 and restart Mosquitto N times during a QoS 1 stream; count the cycles the source "
                + "recovered from within 5 s, and what was lost or duplicated.")
final class LinkKillsCommand implements Callable<Integer> {

    @Mixin RunPlaceOptions places;

    @Option(names = "--client", required = true, paramLabel = "NAME",
            description = "the source: paho (camel-paho route), paho5 (the Paho v5 client as camel-paho-mqtt5 "
                    + "uses it) or tributary (Tributary's MQTT link route, from the app jar)")
    String client;

    @Option(names = "--cycles", defaultValue = "10", paramLabel = "N") int cycles;
    @Option(names = "--rate", defaultValue = "50", paramLabel = "N", description = "stream messages per second")
    int rate;
    @Option(names = "--down-ms", defaultValue = "1000", paramLabel = "MS", description = "Mosquitto dead for")
    long downMillis;
    @Option(names = "--flow-ms", defaultValue = "2000", paramLabel = "MS", description = "flow before each kill")
    long flowMillis;
    @Option(names = "--give-up", defaultValue = "20", paramLabel = "S", description = "wait for a recovery at most")
    int giveUp;
    @Option(names = "--app-jar", defaultValue = "app/target/tributary.jar", paramLabel = "PATH")
    java.nio.file.Path appJar;

    @Override
    public Integer call() throws Exception {
        RunFolders folders = RunFolders.now("-link-kills-" + client, places.workDir, places.resultsDir);
        KillCycles cycles = new KillCycles(KillCycleSources.named(client, appJar, folders.workRoot()), this.cycles,
                rate, Duration.ofMillis(downMillis), Duration.ofMillis(flowMillis), Duration.ofSeconds(5),
                Duration.ofSeconds(giveUp));
        cycles.run(folders, places.mosquitto);
        return 0;
    }
}
