package io.tributary.bench.cli;

import io.tributary.bench.load.BrokerComparison;
import io.tributary.bench.load.ClientLogWatch;
import io.tributary.bench.load.Scenario;
import io.tributary.bench.load.ScenarioResult;
import io.tributary.bench.load.ScenarioRunner;
import io.tributary.bench.load.Target;
import io.tributary.bench.report.ComparisonReport;
import io.tributary.bench.report.Progress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code drive}: the broker scenarios against any broker already running. */
@Command(name = "drive", mixinStandardHelpOptions = true,
        description = "Run the scenarios against a broker that is already running.")
final class DriveCommand implements Callable<Integer> {

    @Mixin TargetOptions broker;
    @Mixin BrokerLoadOptions load;

    @Override
    public Integer call() throws Exception {
        Target target = broker.target();
        ScenarioRunner runner = new ScenarioRunner(load.settings(), ClientLogWatch.install());
        ComparisonReport report = new ComparisonReport(List.of(target.name()), null);
        for (Scenario scenario : load.scenarios()) {
            Progress.say("%s: running against %s:%d", scenario.name(), target.host(), target.port());
            ScenarioResult result = runner.run(target, scenario);
            Progress.say("%s: %s", scenario.name(), BrokerComparison.summary(result));
            System.out.println(report.scenario(scenario, Map.of(target.name(), result)));
        }
        return 0;
    }
}
