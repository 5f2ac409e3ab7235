package io.tributary.routes.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.bridge.config.HttpApiKeys;
import io.tributary.broker.ClusterView;
import io.tributary.broker.ConnectedClient;
import io.tributary.broker.ConnectedClients;
import io.tributary.broker.InProcessBroker;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /api/v1/clients} (the connected clients, sorted by id, a page at a time) and
 * {@code DELETE /api/v1/clients/{id}} (closes that client's connection). Both are operators' acts that cross
 * every user's devices, so only the tokens of {@code http-api.tokens} (the user {@code api}) may use them; the
 * tokens of named users, which the broker's access rules govern topic by topic, get 403.
 */
final class ClientRequests {

    /** The most clients one answer lists, and how many when the request does not say. */
    static final int MAX_LIMIT = 1000;

    private final InProcessBroker broker;

    ClientRequests(InProcessBroker broker) {
        this.broker = broker;
    }

    /**
     * {@code {"total": N, "clients": [...], "next": ID or null}}; {@code next} is the {@code after} of the next page.
     * {@code scope} {@code node} (the default) lists this node's connected clients, each with its {@code node} when
     * clustered; {@code cluster} lists every client of the cluster's session table (id, node, connected,
     * persistent: the address and queue only the owner knows).
     */
    String list(String after, String limit, String scope, String user) {
        checkOperator(user);
        int max = limit(limit);
        if ("cluster".equals(scope)) {
            return listCluster(after, max);
        }
        if (scope != null && !"node".equals(scope)) {
            throw ApiException.badRequest("'scope' must be 'node' or 'cluster', got '" + scope + "'");
        }
        String node = broker.clusterView().map(ClusterView::node).orElse(null);
        ConnectedClients page = broker.connectedClients(after, max);
        ObjectNode answer = ApiJson.MAPPER.createObjectNode();
        answer.put("total", page.total());
        ArrayNode clients = answer.putArray("clients");
        for (ConnectedClient client : page.clients()) {
            ObjectNode entry = clients.addObject();
            entry.put("clientId", client.clientId());
            if (node != null) {
                entry.put("node", node);
            }
            entry
                    .put("address", client.address())
                    .put("listener", client.listener())
                    .put("protocolVersion", client.protocolVersion())
                    .put("username", client.username())
                    .put("subscriptions", client.subscriptions())
                    .put("queued", client.queued())
                    .put("inFlight", client.inFlight());
        }
        boolean more = page.clients().size() == max && max > 0;
        answer.put("next", more ? page.clients().get(max - 1).clientId() : null);
        return ApiJson.write(answer);
    }

    private String listCluster(String after, int max) {
        ClusterView view;
        try {
            view = ClusterRequests.view(broker);
        } catch (ApiException e) {
            throw ApiException.badRequest("'scope=cluster' needs a cluster: this node is not in one");
        }
        ObjectNode answer = ApiJson.MAPPER.createObjectNode();
        answer.put("total", view.clients().size());
        ArrayNode clients = answer.putArray("clients");
        String last = null;
        int listed = 0;
        for (ClusterView.Client client : view.clients()) {
            if (after != null && client.clientId().compareTo(after) <= 0) {
                continue;
            }
            if (listed == max) {
                break;
            }
            clients.addObject()
                    .put("clientId", client.clientId())
                    .put("node", client.node())
                    .put("connected", client.connected())
                    .put("persistent", client.persistent());
            last = client.clientId();
            listed++;
        }
        answer.put("next", listed == max ? last : null);
        return ApiJson.write(answer);
    }

    /** Closes the connection of the client whose id is the last path segment, still percent-encoded. */
    String disconnect(String encodedId, String user) {
        checkOperator(user);
        String clientId = decode(encodedId);
        if (clientId.isEmpty()) {
            throw ApiException.badRequest("give the client id: DELETE /api/v1/clients/ID");
        }
        if (!broker.disconnectClient(clientId)) {
            throw ApiException.notFound("no client with id '" + clientId + "' is connected");
        }
        ObjectNode answer = ApiJson.MAPPER.createObjectNode();
        answer.put("disconnected", clientId);
        return ApiJson.write(answer);
    }

    static void checkOperator(String user) {
        if (!HttpApiKeys.TOKENS_USER.equals(user)) {
            throw new ApiException(403, "only the tokens of http-api.tokens may list and disconnect clients; this "
                    + "token belongs to the user '" + user + "'");
        }
    }

    private static int limit(String text) {
        if (text == null) {
            return MAX_LIMIT;
        }
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("'limit' must be a whole number from 1 to " + MAX_LIMIT + ", got '"
                    + text + "'");
        }
        if (value < 1 || value > MAX_LIMIT) {
            throw ApiException.badRequest("'limit' must be from 1 to " + MAX_LIMIT + ", got " + value);
        }
        return value;
    }

    /**
     * Percent-decodes a path segment as UTF-8 ({@code +} stays {@code +}: it is a character of client ids, not a
     * space, in a path).
     */
    static String decode(String segment) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                if (i + 2 >= segment.length()) {
                    throw ApiException.badRequest("the client id is not well percent-encoded: " + segment);
                }
                int high = Character.digit(segment.charAt(i + 1), 16);
                int low = Character.digit(segment.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw ApiException.badRequest("the client id is not well percent-encoded: " + segment);
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
