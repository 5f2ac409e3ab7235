package io.tributary.routes.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.broker.InProcessBroker;
import io.tributary.broker.Message;
import io.tributary.broker.Permissions;
import java.util.List;

/**
 * {@code GET /api/v1/retained}: with {@code topic=T} the retained message of that topic (404 when it has
 * none), with {@code filter=F} {@code {"messages": [...]}} for every topic matching the filter.
 */
final class RetainedRequests {

    private final InProcessBroker broker;

    RetainedRequests(InProcessBroker broker) {
        this.broker = broker;
    }

    String read(String topic, String filter, Permissions access) {
        if ((topic == null) == (filter == null)) {
            throw ApiException.badRequest("give exactly one of the query parameters 'topic' (one topic) or "
                    + "'filter' (a topic filter with + or #)");
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
        List<Message> matching = retained(filter, "filter");
        if (!access.maySubscribe(filter)) {
            throw new ApiException(403, "this token's user may read no topic that '" + filter + "' matches");
        }
        ObjectNode answer = ApiJson.MAPPER.createObjectNode();
        ArrayNode array = answer.putArray("messages");
        for (Message message : matching) {
            // A broad filter is granted; each message is checked, as for MQTT clients.
            if (access.mayRead(message.topic())) {
                array.add(ApiJson.message(message));
            }
        }
        return ApiJson.write(answer);
    }

    private List<Message> retained(String filter, String parameter) {
        try {
            return broker.retained(filter);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("'" + parameter + "' is not valid: " + e.getMessage());
        }
    }
}
