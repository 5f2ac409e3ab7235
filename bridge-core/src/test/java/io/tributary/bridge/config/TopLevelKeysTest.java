package io.tributary.bridge.config;

import static io.tributary.bridge.config.ConnectionsSectionTest.at;
import static io.tributary.bridge.config.ConnectionsSectionTest.only;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopLevelKeysTest {

    @TempDir
    Path folder;

    private ConfigFiles files;

    @BeforeEach
    void setUp() {
        files = new ConfigFiles(folder);
    }

    @Test
    void dataDirectoryDefaultsToDataBesideTheFile() throws ConfigException {
        assertEquals(folder.resolve("data"), files.load("").dataDirectory());
    }

    @Test
    void relativeDataDirectoryIsResolvedAgainstTheFilesFolderAndNormalized() throws ConfigException {
        assertEquals(folder.resolve("state"), files.load("data-directory: ./work/../state").dataDirectory());
    }

    @Test
    void absoluteDataDirectoryIsKept() throws ConfigException {
        Path elsewhere = folder.resolve("elsewhere").toAbsolutePath();

        assertEquals(elsewhere, files.load("data-directory: " + elsewhere).dataDirectory());
    }

    @Test
    void dataDirectoryOfAConfigurationTextIsResolvedAgainstTheWorkingFolder() throws ConfigException {
        TributaryConfig config = new ConfigLoader(Map.of()).loadString("bundled.yaml", "data-directory: state");

        assertEquals(Path.of("state").toAbsolutePath(), config.dataDirectory());
    }

    @Test
    void dataDirectoryThatIsAFileIsAnError() {
        Path file = files.write("taken", "");

        ConfigError error = only(files.errors("data-directory: taken"));

        assertEquals("1:17: data-directory: expected a folder, but " + file + " is a file", at(error));
    }

    @Test
    void camelRouteFilesAreResolvedAgainstTheFilesFolder() throws ConfigException, IOException {
        Files.createDirectories(folder.resolve("camel"));
        files.write("camel/extra.yaml", "- route: {}");
        files.write("more.yaml", "- route: {}");

        TributaryConfig config = files.load("camel-routes: [ camel/extra.yaml, more.yaml ]");

        assertEquals(List.of(folder.resolve("camel/extra.yaml"), folder.resolve("more.yaml")), config.camelRoutes());
    }

    @Test
    void missingCamelRouteFileIsAnError() {
        ConfigError error = only(files.errors("""
                camel-routes:
                  - absent.yaml
                """));

        assertEquals("2:5: camel-routes[0]: no such file: " + folder.resolve("absent.yaml"), at(error));
    }

    @Test
    void camelRoutesMustBeAList() {
        ConfigError error = only(files.errors("camel-routes: routes.yaml"));

        assertEquals("1:15: camel-routes: expected a list of file paths, got 'routes.yaml'", at(error));
    }
}
