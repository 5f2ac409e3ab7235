package io.tributary.bridge.config;

import io.tributary.bridge.mapping.Template;
import io.tributary.broker.QoS;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a route delivers: a Kafka topic, the built-in broker, an HTTP endpoint (webhook) or a SQL table.
 * Also the shape of a dead-letter destination.
 */
public sealed interface RouteSink {

    /**
     * A Kafka record per message.
     *
     * @param connection the name of a {@code connections.kafka} entry
     * @param topic the Kafka topic, a template
     * @param key the record key, a template; no key when empty
     * @param headers extra record headers, each value a template, beside the {@code mqtt.*} headers
     */
    record Kafka(String connection, Template topic, Optional<Template> key, Map<String, Template> headers)
            implements RouteSink {
        public Kafka {
            Objects.requireNonNull(connection, "connection");
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(key, "key");
            headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
        }
    }

    /**
     * A message published into the built-in broker.
     *
     * @param topic the MQTT topic, a template
     * @param qos the QoS to publish at; empty means the incoming message's QoS (QoS 1 for Kafka records)
     * @param retain whether the published message is retained
     */
    record Mqtt(Template topic, Optional<QoS> qos, boolean retain) implements RouteSink {
        public Mqtt {
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(qos, "qos");
        }
    }

    /**
     * An HTTP request per message (a webhook). The device's acknowledgement waits for a 2xx answer.
     *
     * @param url the URL, a template (placeholders are URL-encoded when rendered)
     * @param method {@code POST}, {@code PUT} or {@code PATCH}
     * @param format the body: the payload as is, or a JSON envelope with topic, payload, QoS, properties, time
     * @param timeout how long one request may take, connecting included
     * @param concurrency requests of this route in flight at once
     * @param headers extra request headers, each value a template
     * @param auth credentials sent with every request, from the environment or a file; none when empty
     */
    record Http(Template url, String method, WebhookFormat format, java.time.Duration timeout, int concurrency,
                Map<String, Template> headers, Optional<HttpAuth> auth) implements RouteSink {
        public Http {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(timeout, "timeout");
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
            }
            headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
            Objects.requireNonNull(auth, "auth");
        }
    }

    /**
     * A row per message in a SQL table, inserted in batches; the device's acknowledgement waits for the
     * commit of the batch its row is in.
     *
     * @param connection the name of a {@code connections.jdbc} entry
     * @param table the table (a plain SQL identifier)
     * @param columns the columns in order, each with its value template and SQL type
     * @param batchSize rows per batch at most
     * @param batchTime how long the first row of a batch may wait for others before the batch is written; zero writes
     *     what is queued as soon as the writer is free
     * @param upsertKey when not empty, rows whose key columns match an existing row replace it
     * @param createTable whether the table is created at start when it does not exist
     */
    record Jdbc(String connection, String table, java.util.List<Column> columns, int batchSize,
                java.time.Duration batchTime, java.util.List<String> upsertKey, boolean createTable)
            implements RouteSink {
        public Jdbc {
            Objects.requireNonNull(connection, "connection");
            Objects.requireNonNull(table, "table");
            columns = java.util.List.copyOf(columns);
            if (columns.isEmpty()) {
                throw new IllegalArgumentException("a jdbc sink needs at least one column");
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
            }
            Objects.requireNonNull(batchTime, "batchTime");
            upsertKey = java.util.List.copyOf(upsertKey);
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

    /**
     * One column of a {@link Jdbc} sink.
     *
     * @param name the column name (a plain SQL identifier)
     * @param value its value, a template
     * @param type how the text is converted; a value that does not convert is a mapping error
     */
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
