package io.tributary.testsupport.hivemq;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The folders of a HiveMQ CE run by a test or the benchmark: {@code conf/config.xml} with one TCP listener on
 * {@code 127.0.0.1:PORT}, in-memory persistence and no usage statistics, plus {@code data/} and {@code extensions/}.
 * Only files are written here: starting HiveMQ (embedded, or from these folders in a child JVM) is the caller's.
 */
public final class HiveMqHome {

    private HiveMqHome() {
    }

    /** Writes the folders under {@code home}; returns the configuration folder. */
    public static Path write(Path home, int port) throws IOException {
        return write(home, port, "");
    }

    /**
     * The same, with {@code mqttSection} (the body of {@code <mqtt>}, such as a queue bound) added to the
     * configuration when not empty.
     */
    public static Path write(Path home, int port, String mqttSection) throws IOException {
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("extensions"));
        String mqtt = mqttSection.isBlank() ? "" : "    <mqtt>\n" + mqttSection.stripTrailing().indent(8)
                + "    </mqtt>\n";
        Files.writeString(conf.resolve("config.xml"), """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <tcp-listener>
                            <port>%d</port>
                            <bind-address>127.0.0.1</bind-address>
                        </tcp-listener>
                    </listeners>
                %s    <persistence>
                        <mode>in-memory</mode>
                    </persistence>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, mqtt));
        return conf;
    }
}
