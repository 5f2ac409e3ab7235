package io.tributary.routes.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.broker.InProcessBroker;
import io.tributary.broker.Message;
import io.tributary.broker.Permissions;
import java.util.Comparator;
import java.util.List;

/**
 * {@code GET /api/v1/retained}: with {@code topic=T} the retained message of that topic (404 when it has
 * none), with {@code filter=F} {@code {"messages": [...], "total": N}} for every topic matching the filter, or
 * with {@code limit=L} the first L by topic (the console asks for a few hundred, whatever the store holds).
 */
final class RetainedRequests {

    private final InProcessBroker broker;

    RetainedRequests(InProcessBroker broker) {
        this.broker = broker;
    }

    /** The largest {@code limit}. */
    static final int MAX_LIMIT = 10_000;

    String read(String topic, String filter, String limit, Permissions access) {
        if ((topic == null) == (filter == null)) {
            throw ApiException.badRequest("give exactly one of the query parameters 'topic' (one topic) or "
                    + "'filter' (a topic filter with + or #)");
        }
        if (topic != null && limit != null) {
            throw ApiException.badRequest("'limit' goes with 'filter', not with 'topic'");
        }
        if (topic != null) {
            PublishRequests.checkTopic(topic);
            if (!access.mayRead(topic)) {
                throw new ApiException(403, "this token's user may not read '" + topic + "'");
            }
            List<Message> messages = retained(topic, "topic");
            if (messages.isEmpty()) {
                throw ApiException.notFound("no retained message on topic " + topic);
            }
            return ApiJson.write(ApiJson.message(messages.get(0)));
        }
        if (filter.isEmpty()) {
            throw ApiException.badRequest("'filter' must not be empty");
        }
        int max = limit(limit);
        List<Message> matching = retained(filter, "filter");
        if (!access.maySubscribe(filter)) {
            throw new ApiException(403, "this token's user may read no topic that '" + filter + "' matches");
        }
        // A broad filter is granted; each message is checked, as for MQTT clients.
        List<Message> readable = matching.stream().filter(message -> access.mayRead(message.topic())).toList();
        List<Message> shown = readable;
        if (max < readable.size()) {
            shown = readable.stream().sorted(Comparator.comparing(Message::topic)).limit(max).toList();
        }
        ObjectNode answer = ApiJson.MAPPER.createObjectNode();
        ArrayNode array = answer.putArray("messages");
        for (Message message : shown) {
            array.add(ApiJson.message(message));
        }
        answer.put("total", readable.size());
        return ApiJson.write(answer);
    }

    private static int limit(String text) {
        if (text == null) {
            return Integer.MAX_VALUE;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Said below.
        }
        throw ApiException.badRequest("'limit' must be a whole number from 1 to " + MAX_LIMIT + ", got '" + text
                + "'");
    }

    private List<Message> retained(String filter, String parameter) {
        try {
            return broker.retained(filter);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("'" + parameter + "' is not valid: " + e.getMessage());
        }
    }
}
