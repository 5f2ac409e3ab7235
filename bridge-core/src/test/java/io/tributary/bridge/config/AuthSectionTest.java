package io.tributary.bridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.AuthConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code broker.auth} section. */
class AuthSectionTest {

    @TempDir
    Path folder;

    private ConfigFiles files;

    @BeforeEach
    void setUp() {
        files = new ConfigFiles(folder);
    }

    @Test
    void withoutTheSectionTheDefaultStays() throws ConfigException {
        assertEquals(AuthConfig.NONE, files.defaults().broker().auth());
        assertEquals(AuthConfig.NONE, files.load("broker: { auth: {} }").broker().auth());
    }

    @Test
    void passwordFileAndPluginsAreResolvedAgainstTheConfigurationFolder() throws ConfigException {
        files.write("passwd", "");
        files.write("ldap.jar", "");
        AuthConfig auth = files.load("""
                broker:
                  auth:
                    password-file: passwd
                    plugins: [ldap.jar]
                """).broker().auth();

        assertEquals(new AuthConfig(folder.resolve("passwd"), List.of(folder.resolve("ldap.jar"))), auth);
        assertTrue(auth.configured());
    }

    @Test
    void missingFilesAndUnknownKeysAreErrorsWithTheirPath() {
        List<ConfigError> errors = files.errors("""
                broker:
                  auth:
                    password-file: nowhere
                    plugins: [missing.jar]
                    pasword-file: typo
                """);

        String all = errors.stream().map(ConfigError::render).reduce("", (a, b) -> a + "\n" + b);
        assertTrue(all.contains("broker.auth.password-file: no such file: " + folder.resolve("nowhere")), all);
        assertTrue(all.contains("broker.auth.plugins[0]: no such file: " + folder.resolve("missing.jar")), all);
        assertTrue(all.contains("broker.auth.pasword-file"), all);
        assertEquals(3, errors.size(), all);
    }
}
