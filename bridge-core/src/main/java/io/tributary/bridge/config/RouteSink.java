package io.tributary.bridge.config;

import io.tributary.bridge.mapping.Template;
import io.tributary.broker.QoS;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a route delivers: a Kafka topic, the built-in broker, an HTTP endpoint (webhook) or a SQL table.
 * Also the shape of a dead-letter destination. The fields are the keys of {@link RouteKeys#TO_SECTION}'s sections.
 */
public sealed interface RouteSink {

    /** A Kafka record per message, with {@code headers} beside the {@code mqtt.*} headers; no key when empty. */
    record Kafka(String connection, Template topic, Optional<Template> key, Map<String, Template> headers)
            implements RouteSink {
        public Kafka {
            Objects.requireNonNull(connection, "connection");
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(key, "key");
            headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        }
    }

    /**
     * A message published into the built-in broker, or with a {@code connection} to the external broker of that
     * {@code connections.mqtt} entry; no {@code qos} means the incoming message's (1 for Kafka).
     */
    record Mqtt(Optional<String> connection, Template topic, Optional<QoS> qos, boolean retain) implements RouteSink {
        public Mqtt {
            Objects.requireNonNull(connection, "connection");
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(qos, "qos");
        }

        /** A message published into the built-in broker. */
        public Mqtt(Template topic, Optional<QoS> qos, boolean retain) {
            this(Optional.empty(), topic, qos, retain);
        }
    }

    /**
     * An HTTP request per message (a webhook). The device's acknowledgement waits for a 2xx answer.
     *
     * @param url placeholders are URL-encoded when rendered
     * @param auth credentials sent with every request, from the environment or a file; none when empty
     */
    record Http(Template url, String method, WebhookFormat format, Duration timeout, int concurrency,
                Map<String, Template> headers, Optional<HttpAuth> auth) implements RouteSink {
        public Http {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(timeout, "timeout");
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
            }
            headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
            Objects.requireNonNull(auth, "auth");
        }
    }

    /**
     * A row per message in a SQL table, inserted in batches; the device's acknowledgement waits for the
     * commit of the batch its row is in.
     *
     * @param batchTime how long the first row of a batch may wait for others before the batch is written; zero writes
     *     what is queued as soon as the writer is free
     * @param upsertKey when not empty, rows whose key columns match an existing row replace it
     */
    record Jdbc(String connection, String table, List<Column> columns, int batchSize, Duration batchTime,
                List<String> upsertKey, boolean createTable) implements RouteSink {
        public Jdbc {
            Objects.requireNonNull(connection, "connection");
            Objects.requireNonNull(table, "table");
            columns = List.copyOf(columns);
            if (columns.isEmpty()) {
                throw new IllegalArgumentException("a jdbc sink needs at least one column");
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
            }
            Objects.requireNonNull(batchTime, "batchTime");
            upsertKey = List.copyOf(upsertKey);
        }
    }

    /** The body of a webhook request. */
    enum WebhookFormat {
        /** The payload's bytes, with the content type of the message (MQTT 5) or application/octet-stream. */
        RAW,
        /** {@code {"topic", "payload" (text or base64), "payloadEncoding", "qos", "retain", "clientId",
         *  "properties": {...}, "userProperties": [...], "timestamp"}} as application/json. */
        ENVELOPE
    }

    /** One column of a {@link Jdbc} sink: its name, its value and the SQL type the value is converted to. */
    record Column(String name, Template value, ColumnType type) {
        public Column {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(type, "type");
        }
    }

    /** The SQL types a column value can be converted to. */
    enum ColumnType {
        TEXT, INTEGER, BIGINT, DOUBLE, BOOLEAN, TIMESTAMP, JSON
    }
}
