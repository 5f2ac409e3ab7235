package io.tributary.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version of Tributary, as the build wrote it into {@code tributary-version.properties}. */
final class TributaryVersion {

    private static final String RESOURCE = "tributary-version.properties";

    private TributaryVersion() {
    }

    /** Such as {@code 0.1.0-SNAPSHOT}; {@code unknown} when run from unfiltered sources. */
    static String version() {
        Properties properties = new Properties();
        try (InputStream in = TributaryVersion.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        String version = properties.getProperty("version", "unknown");
        return version.startsWith("${") ? "unknown" : version;
    }

    /** The lines of {@code tributary version} and {@code tributary --version}. */
    static String[] lines() {
        return new String[] {
            "tributary " + version(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ") on "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        };
    }

    /** Feeds {@code --version}. */
    static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return lines();
        }
    }
}
