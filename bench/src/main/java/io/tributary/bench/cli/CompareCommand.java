package io.tributary.bench.cli;

import io.tributary.bench.load.BrokerComparison;
import io.tributary.bench.report.RunFolders;
import io.tributary.bench.server.BrokerLauncher;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code compare}: Tributary, Mosquitto and HiveMQ CE under the same load, in one run ({@code bench/run.sh}). */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare brokers, each in its own process, scenario by scenario.")
final class CompareCommand implements Callable<Integer> {

    @Mixin BrokerLoadOptions load;
    @Mixin RunPlaceOptions places;
    @Mixin MosquittoOptions mosquitto;

    @Option(names = "--brokers", split = ",", paramLabel = "LIST", defaultValue = "tributary,mosquitto,hivemq",
            description = "which brokers, in column order")
    List<String> brokers;

    @Option(names = "--idle-clients", defaultValue = "10000", paramLabel = "N") int idleClients;
    @Option(names = "--skip-memory", description = "leave out the idle-client memory test") boolean skipMemory;

    @Option(names = "--pid-file", paramLabel = "FILE", description = "where the broker under test keeps its PID")
    Path pidFile;

    @Override
    public Integer call() throws Exception {
        Map<String, BrokerLauncher> known = Brokers.known(BrokerComparison.REFERENCE, mosquitto, places.mosquitto);
        List<BrokerLauncher> launchers = Choices.pick(brokers, known, "broker");
        new BrokerComparison(load.settings(), load.scenarios(), launchers, places.mosquitto, idleClients, !skipMemory,
                load.quick).run(RunFolders.now("", places.workDir, places.resultsDir), pidFile);
        return 0;
    }
}
