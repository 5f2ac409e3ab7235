package io.tributary.broker;

import java.util.List;

/**
 * One page of the connected clients, sorted by client id, with how many are connected in all: a broker may
 * hold more clients than a caller should be handed at once.
 *
 * @param total how many clients are connected now
 * @param clients at most the asked number of them, sorted by client id
 */
public record ConnectedClients(int total, List<ConnectedClient> clients) {

    /** No client (a broker that does not list its clients). */
    public static final ConnectedClients NONE = new ConnectedClients(0, List.of());

    public ConnectedClients {
        clients = List.copyOf(clients);
    }
}
