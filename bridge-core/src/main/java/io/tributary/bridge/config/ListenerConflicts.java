package io.tributary.bridge.config;

import java.util.List;
import java.util.Set;

/**
 * Finds listeners that cannot all be bound or told apart: the same port on the same host (a wildcard
 * address shares its port with every host), or the same name.
 */
final class ListenerConflicts {

    private static final Set<String> WILDCARD_HOSTS = Set.of("0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0");

    private final YamlNodeReader reader;

    ListenerConflicts(YamlNodeReader reader) {
        this.reader = reader;
    }

    /**
     * Reports each listener that conflicts with an earlier one; true when there is none. A port conflict
     * hides the name conflict that default names would add to it.
     */
    boolean check(List<ListenerSettingsReader.ReadListener> listeners) {
        boolean none = true;
        for (int i = 0; i < listeners.size(); i++) {
            for (int j = 0; j < i; j++) {
                none &= checkPair(listeners.get(j), listeners.get(i));
            }
        }
        return none;
    }

    private boolean checkPair(ListenerSettingsReader.ReadListener earlier, ListenerSettingsReader.ReadListener later) {
        ListenerSettings first = earlier.settings();
        ListenerSettings second = later.settings();
        String firstAt = earlier.mapping().path() + " (line " + earlier.mapping().location().line() + ")";
        boolean ok = true;
        if (second.port() != 0 && second.port() == first.port() && hostsOverlap(first.host(), second.host())) {
            YamlMapping mapping = later.mapping();
            String hosts = first.host().equals(second.host()) ? "" : " on " + first.host();
            reader.report(mapping.value(BrokerKeys.LISTENER_PORT).map(reader::locate).orElse(mapping.location()),
                    mapping.pathOf(BrokerKeys.LISTENER_PORT),
                    "port " + second.port() + " on " + second.host() + " is already used by " + firstAt + hosts);
            ok = false;
        }
        if (ok && second.name().equals(first.name())) {
            YamlMapping mapping = later.mapping();
            reader.report(mapping.value(BrokerKeys.LISTENER_NAME).map(reader::locate).orElse(mapping.location()),
                    mapping.pathOf(BrokerKeys.LISTENER_NAME),
                    "name '" + second.name() + "' is already used by " + firstAt + "; give each listener a unique name");
            ok = false;
        }
        return ok;
    }

    private static boolean hostsOverlap(String a, String b) {
        return a.equalsIgnoreCase(b) || WILDCARD_HOSTS.contains(a) || WILDCARD_HOSTS.contains(b);
    }
}
