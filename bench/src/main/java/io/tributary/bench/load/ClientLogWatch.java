package io.tributary.bench.load;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.LoggerFactory;

/**
 * Counts the warnings and errors the driver's MQTT client logs, instead of printing each one. The client drops
 * incoming QoS 0 messages it cannot buffer and says so once per message ("QoS 0 publish message dropped."): those
 * drops happen in the driver, not in the broker, and the report must tell them apart.
 *
 * <p>Thread-safe: the client logs from its I/O threads.
 */
public final class ClientLogWatch {

    /** The HiveMQ MQTT client's message for an incoming QoS 0 message it dropped. */
    public static final String QOS0_DROPPED = "QoS 0 publish message dropped.";

    private static final String CLIENT_LOGGER = "com.hivemq.client";

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    private ClientLogWatch() {
    }

    /**
     * Routes the client's WARN and ERROR events here (and nowhere else), when logback is the SLF4J binding; otherwise
     * returns a watch that counts nothing.
     */
    public static ClientLogWatch install() {
        ClientLogWatch watch = new ClientLogWatch();
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            Logger logger = context.getLogger(CLIENT_LOGGER);
            logger.setLevel(Level.WARN);
            logger.setAdditive(false);
            AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
                @Override
                protected void append(ILoggingEvent event) {
                    String message = event.getMessage();
                    String key = message == null ? "(no message)" : message.length() > 80 ? message.substring(0, 80)
                            : message;
                    watch.counts.computeIfAbsent(event.getLevel() + " " + key, k -> new LongAdder()).increment();
                }
            };
            appender.setContext(context);
            appender.setName("client-log-watch");
            appender.start();
            logger.addAppender(appender);
        }
        return watch;
    }

    /** Forgets what was counted so far, at the start of a run. */
    public void reset() {
        counts.clear();
    }

    /** Incoming QoS 0 messages the client dropped since the last reset. */
    public long qos0Dropped() {
        LongAdder adder = counts.get("WARN " + QOS0_DROPPED);
        return adder == null ? 0 : adder.sum();
    }

    /** Every distinct message (level and first 80 characters) with its count since the last reset. */
    public Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((key, adder) -> copy.put(key, adder.sum()));
        return copy;
    }
}
