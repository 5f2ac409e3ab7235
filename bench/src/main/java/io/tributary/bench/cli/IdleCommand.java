package io.tributary.bench.cli;

import io.tributary.bench.connections.IdleMemoryResult;
import io.tributary.bench.connections.IdleMemoryRun;
import io.tributary.bench.report.ComparisonReport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code idle}: holds idle connections against any broker and reports its memory. */
@Command(name = "idle", mixinStandardHelpOptions = true,
        description = "Hold idle connections against a running broker and report its memory.")
final class IdleCommand implements Callable<Integer> {

    @Mixin TargetOptions broker;
    @Option(names = "--idle-clients", defaultValue = "10000", paramLabel = "N") int idleClients;

    @Override
    public Integer call() throws Exception {
        IdleMemoryResult result = new IdleMemoryRun(Duration.ofSeconds(1), Duration.ofSeconds(3))
                .run(broker.target(), idleClients);
        System.out.println(new ComparisonReport(List.of(broker.name), null).memory(Map.of(result.broker(), result)));
        return 0;
    }
}
