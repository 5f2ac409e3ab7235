package io.tributary.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tributary init [FILE]}: writes a commented starter configuration, the built-in one with the common
 * alternatives shown, to edit and then run with {@code --config}. It never replaces a file unless told to.
 */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Writes a commented starter configuration to FILE, to edit and run with --config.",
            "Refuses to replace an existing FILE unless --force is given."})
final class InitCommand implements Callable<Integer> {

    /** The starter configuration, a resource of the application. */
    static final String STARTER_RESOURCE = "tributary-starter.yaml";

    @Parameters(arity = "0..1", paramLabel = "FILE", defaultValue = "tributary.yaml",
            description = "Where to write it (default: ${DEFAULT-VALUE}).")
    Path file;

    @Option(names = "--force", description = "Replaces FILE if it exists.")
    boolean force;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        byte[] starter;
        try (InputStream in = InitCommand.class.getClassLoader().getResourceAsStream(STARTER_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(STARTER_RESOURCE + " is missing from the application");
            }
            starter = in.readAllBytes();
        }
        try {
            if (force) {
                Files.write(file, starter);
            } else {
                Files.write(file, starter, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            }
        } catch (FileAlreadyExistsException e) {
            spec.commandLine().getErr().println("tributary init: " + file + " exists; --force replaces it");
            spec.commandLine().getErr().flush();
            return TributaryCommand.FAILED;
        } catch (IOException e) {
            spec.commandLine().getErr().println("tributary init: cannot write " + file + ": " + e.getMessage());
            spec.commandLine().getErr().flush();
            return TributaryCommand.FAILED;
        }
        // The file names the HTTP API's token file, which must exist for the configuration to be valid.
        ApiTokenFile.ensure(file.toAbsolutePath().getParent());
        spec.commandLine().getOut().println("wrote " + file + "; check it with `tributary validate " + file
                + "` and start it with `tributary run --config " + file + "`");
        spec.commandLine().getOut().flush();
        return TributaryCommand.OK;
    }
}
