package io.tributary.bridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.AclConfig;
import io.tributary.broker.AclRule;
import io.tributary.broker.AclRule.Access;
import io.tributary.broker.AuthConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code broker.auth} section: who may connect ({@code password-file}, {@code plugins}) and the access rules
 * ({@code acl-file} and {@code acl}).
 */
class BrokerAuthSectionTest {

    @TempDir
    Path folder;

    private ConfigFiles files;

    @BeforeEach
    void setUp() {
        files = new ConfigFiles(folder);
    }

    @Test
    void withoutAuthThereAreNoRules() throws ConfigException {
        assertEquals(AclConfig.NONE, files.load("broker: {}\n").broker().acl());
    }

    @Test
    void aclFileAndRulesAreRead() throws ConfigException {
        Path acl = files.write("broker.acl", "topic read public/#\n");
        AclConfig config = files.load("""
                broker:
                  auth:
                    acl-file: broker.acl
                    acl:
                      - { topic: public/# , access: read }
                      - { user: alice, topic: alice/# }
                      - { pattern: true, topic: "devices/%c/#", access: write }
                      - { user: alice, topic: alice/secret, access: deny }
                """).broker().acl();

        assertEquals(acl.toAbsolutePath().normalize(), config.file());
        assertEquals(List.of(
                AclRule.topic(null, Access.READ, "public/#"),
                AclRule.topic("alice", Access.READWRITE, "alice/#"),
                AclRule.pattern(Access.WRITE, "devices/%c/#"),
                AclRule.topic("alice", Access.DENY, "alice/secret")), config.rules());
    }

    @Test
    void aBadLineOfTheAclFileIsReportedWithFileAndLine() {
        Path acl = files.write("broker.acl", "# rules\nuser alice\ntopic read alice/#\ntopik write x\n");
        ConfigError error = only(files.errors("""
                broker:
                  auth:
                    acl-file: broker.acl
                """));

        assertEquals("broker.auth.acl-file", error.path());
        assertTrue(error.message().startsWith(acl.toAbsolutePath().normalize() + " line 4: unknown keyword 'topik'"),
                error.message());
    }

    @Test
    void aMissingAclFileIsReported() {
        ConfigError error = only(files.errors("""
                broker:
                  auth:
                    acl-file: missing.acl
                """));

        assertEquals("broker.auth.acl-file", error.path());
        assertTrue(error.message().startsWith("no such file: "), error.message());
    }

    @Test
    void badRulesAreReportedAtTheirKeys() {
        List<ConfigError> errors = files.errors("""
                broker:
                  auth:
                    acl:
                      - { user: alice, pattern: true, topic: "a/%u" }
                      - { topic: "a/#/b" }
                      - { pattern: true, topic: "a/x%u" }
                      - { user: bob }
                      - { topic: a, access: all }
                """);

        assertEquals(List.of("broker.auth.acl[0].user", "broker.auth.acl[1].topic", "broker.auth.acl[2].topic",
                "broker.auth.acl[3].topic", "broker.auth.acl[4].access"), errors.stream().map(ConfigError::path).toList(),
                errors.toString());
        assertTrue(errors.get(0).message().contains("not both"), errors.get(0).message());
        assertTrue(errors.get(1).message().contains("'#' must be the last level"), errors.get(1).message());
        assertTrue(errors.get(2).message().contains("%u and %c must each be a whole level"), errors.get(2).message());
    }

    private static ConfigError only(List<ConfigError> errors) {
        assertEquals(1, errors.size(), errors.toString());
        return errors.get(0);
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
