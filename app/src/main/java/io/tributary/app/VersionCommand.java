package io.tributary.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tributary version}: prints the version of Tributary and of the Java runtime. */
@Command(name = "version", mixinStandardHelpOptions = true,
        description = "Prints the version of Tributary and of the Java runtime.")
final class VersionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        for (String line : TributaryVersion.lines()) {
            spec.commandLine().getOut().println(line);
        }
        return TributaryCommand.OK;
    }
}
