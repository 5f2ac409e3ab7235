package io.tributary.bridge.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Any text given to the configuration loader ends in a configuration or in a {@link ConfigException} that
 * names at least one problem: never another exception, never a hang.
 *
 * <p>{@code mvn verify} runs only the seeds in {@code ConfigLoaderFuzzTestInputs} (valid configurations and
 * past findings); {@code JAZZER_FUZZ=1} fuzzes (see docs/security.md, "Fuzzing").
 */
class ConfigLoaderFuzzTest {
    /** Variables for {@code ${...}} references and overrides, so that the fuzzer can reach both. */
    private static final Map<String, String> ENVIRONMENT = Map.of(
            "HOST", "127.0.0.1",
            "PORT", "1883",
            "TRIBUTARY_BROKER_MAX_INFLIGHT", "10");

    /**
     * How long one input may take before it counts as a hang: generous, since the first input also loads and
     * instruments the classes; a normal one takes milliseconds. (JUnit's {@code @Timeout} would bound the whole
     * fuzzing run instead.)
     */
    private static final Duration HANG = Duration.ofSeconds(30);

    @FuzzTest(maxDuration = "10s")
    void loadsOrExplains(byte[] input) {
        String yaml = new String(input, StandardCharsets.UTF_8);
        assertTimeoutPreemptively(HANG, () -> {
            try {
                assertNotNull(new ConfigLoader(ENVIRONMENT).loadString("fuzz.yaml", yaml));
            } catch (ConfigException e) {
                assertFalse(e.errors().isEmpty(), "a ConfigException names its problems");
                for (ConfigError error : e.errors()) {
                    assertNotNull(error.message());
                }
            }
        });
    }
}
