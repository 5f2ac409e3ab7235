package io.tributary.hivemq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.extension.sdk.api.client.parameter.ServerInformation;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A configuration that cannot run inside HiveMQ keeps the extension from starting, saying why. */
class TributaryExtensionMainTest {

    @TempDir
    Path folder;

    @Test
    void aBrokerKeyKeepsTheExtensionFromStartingAndNamesTheKey() throws Exception {
        List<String> refusals = start("""
                broker:
                  listeners:
                    - { type: tcp, port: 1883 }
                """);

        assertEquals(1, refusals.size(), () -> "refusals: " + refusals);
        assertTrue(refusals.get(0).contains("tributary.yaml:2:3: broker.listeners: does not apply inside HiveMQ"),
                refusals.get(0));
    }

    @Test
    void aHoldTimeoutUnderOneSecondKeepsTheExtensionFromStarting() throws Exception {
        List<String> refusals = start("hivemq: { hold-timeout: 500ms }\n");

        assertEquals(1, refusals.size(), () -> "refusals: " + refusals);
        assertTrue(refusals.get(0).contains("hivemq.hold-timeout: expected a duration of at least 1s"),
                refusals.get(0));
    }

    @Test
    void aMissingFileKeepsTheExtensionFromStarting() {
        List<String> refusals = new ArrayList<>();
        new TributaryExtensionMain(folder.resolve("tributary.yaml"), Map.of())
                .extensionStart(input(), output(refusals));

        assertEquals(1, refusals.size(), () -> "refusals: " + refusals);
        assertTrue(refusals.get(0).contains("no such file"), refusals.get(0));
    }

    private List<String> start(String yaml) throws Exception {
        Path file = Files.writeString(folder.resolve("tributary.yaml"), yaml);
        List<String> refusals = new ArrayList<>();
        // The configuration is read before any service of HiveMQ's is used, so no HiveMQ runs here.
        new TributaryExtensionMain(file, Map.of()).extensionStart(input(), output(refusals));
        return refusals;
    }

    /** What HiveMQ tells an extension about itself: only its data folder is read before the configuration. */
    private ExtensionStartInput input() {
        ServerInformation server = (ServerInformation) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServerInformation.class}, (proxy, method, args) ->
                        method.getName().equals("getDataFolder") ? folder.resolve("data").toFile() : null);
        return (ExtensionStartInput) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ExtensionStartInput.class}, (proxy, method, args) ->
                        method.getName().equals("getServerInformation") ? server : null);
    }

    private static ExtensionStartOutput output(List<String> refusals) {
        return (ExtensionStartOutput) Proxy.newProxyInstance(TributaryExtensionMainTest.class.getClassLoader(),
                new Class<?>[] {ExtensionStartOutput.class}, (proxy, method, args) -> {
                    refusals.add((String) args[0]);
                    return null;
                });
    }
}
