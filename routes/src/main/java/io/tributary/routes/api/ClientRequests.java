package io.tributary.routes.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.bridge.config.HttpApiKeys;
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

    /** {@code {"total": N, "clients": [...], "next": ID or null}}; {@code next} is the {@code after} of the next page. */
    String list(String after, String limit, String user) {
        checkOperator(user);
        int max = limit(limit);
        ConnectedClients page = broker.connectedClients(after, max);
        ObjectNode answer = ApiJson.MAPPER.createObjectNode();
        answer.put("total", page.total());
        ArrayNode clients = answer.putArray("clients");
        for (ConnectedClient client : page.clients()) {
            clients.addObject()
                    .put("clientId", client.clientId())
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

    private static void checkOperator(String user) {
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
