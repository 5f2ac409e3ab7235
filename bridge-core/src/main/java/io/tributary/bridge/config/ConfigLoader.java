package io.tributary.bridge.config;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Loads a YAML configuration file into a validated {@link TributaryConfig}, or fails with every problem
 * found, each with its file, line, column and field.
 */
public final class ConfigLoader {

    private final Map<String, String> environment;

    /** A loader that reads the process environment for overrides and {@code ${...}} references. */
    public ConfigLoader() {
        this(System.getenv());
    }

    /** A loader that reads {@code environment} instead of the process environment. */
    public ConfigLoader(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /**
     * Loads a file; relative paths in it (TLS files) are resolved against its folder.
     *
     * @throws ConfigException naming every problem, or the file when it cannot be read
     */
    public TributaryConfig load(Path file) throws ConfigException {
        String source = file.toString();
        if (Files.isDirectory(file)) {
            throw single(source, "is a folder, not a configuration file");
        }
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw single(source, "no such file");
        } catch (MalformedInputException e) {
            throw single(source, "is not UTF-8 text");
        } catch (IOException e) {
            throw single(source, "cannot be read: " + e.getMessage());
        }
        Path folder = file.toAbsolutePath().getParent();
        return parse(source, yaml, folder);
    }

    /**
     * Loads YAML text, such as a configuration bundled as a resource; relative paths in it are resolved
     * against the working folder.
     *
     * @param sourceName how errors name the text, as they would name a file
     * @throws ConfigException naming every problem
     */
    public TributaryConfig loadString(String sourceName, String yaml) throws ConfigException {
        return parse(sourceName, yaml, Path.of("").toAbsolutePath());
    }

    private TributaryConfig parse(String source, String yaml, Path baseDirectory) throws ConfigException {
        ConfigErrors errors = new ConfigErrors();
        EnvInterpolation interpolation = new EnvInterpolation(environment);
        Optional<TributaryConfig> config = Optional.empty();
        try {
            // The overrides go into the tree before it is read, so that each reader checks them as file values.
            Node root = new EnvOverrides(environment, interpolation).apply(compose(source, yaml), errors);
            YamlNodeReader reader = new YamlNodeReader(source, errors, interpolation);
            config = new TributaryConfigReader(reader, baseDirectory).read(root, new SourceLocation(source, 1, 1));
        } catch (MarkedYamlEngineException e) {
            SourceLocation at = e.getProblemMark().or(e::getContextMark)
                    .map(YamlNodeReader::location).orElseGet(() -> SourceLocation.of(source));
            errors.add(at, "", syntaxMessage(e));
        } catch (YamlEngineException e) {
            errors.add(SourceLocation.of(source), "", "invalid YAML: " + e.getMessage());
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors.inFileOrder());
        }
        return config.orElseThrow(() -> new IllegalStateException("a section was invalid but reported nothing"));
    }

    private static Node compose(String source, String yaml) {
        LoadSettings settings = LoadSettings.builder().setLabel(source).build();
        return new Composer(settings, new NestingLimitedParser(settings, yaml)).getSingleNode().orElse(null);
    }

    private static String syntaxMessage(MarkedYamlEngineException e) {
        String problem = e.getProblem() == null ? "" : e.getProblem();
        String context = e.getContext() == null ? "" : e.getContext();
        if (context.isEmpty()) {
            return "invalid YAML: " + problem;
        }
        // SnakeYAML's context reads "while parsing a flow mapping"; its mark says where that began.
        String since = e.getContextMark()
                .filter(m -> e.getProblemMark().map(p -> p.getLine() != m.getLine()).orElse(true))
                .map(m -> " that began at line " + (m.getLine() + 1))
                .orElse("");
        return "invalid YAML: " + problem + " (" + context + since + ")";
    }

    private static ConfigException single(String source, String message) {
        return new ConfigException(List.of(new ConfigError(SourceLocation.of(source), "", message)));
    }
}
