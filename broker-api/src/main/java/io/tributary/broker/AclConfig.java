package io.tributary.broker;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the broker's access rules come from: a file in Mosquitto's {@code acl_file} format, re-read when it
 * changes, and rules given in the configuration. With neither, every client may do everything; once either holds a
 * rule (an empty file counts), what no rule allows is denied.
 *
 * @param file the ACL file, or {@code null}
 * @param rules rules from the configuration, checked together with the file's
 */
public record AclConfig(Path file, List<AclRule> rules) {

    /** No rules at all: every client may do everything. */
    public static final AclConfig NONE = new AclConfig(null, List.of());

    public AclConfig {
        rules = List.copyOf(rules);
    }

    /** True when there is no file and no rule, so nothing is checked. */
    public boolean isNone() {
        return file == null && rules.isEmpty();
    }
}
