package io.tributary.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * The levels {@code tributary run --log-level} offers. They set logback's root logger; the loggers that
 * logback.xml quiets on purpose (Netty, Kafka's clients) keep their own level.
 */
enum LogLevel {
    DEBUG(Level.DEBUG), INFO(Level.INFO), WARN(Level.WARN), ERROR(Level.ERROR);

    private final Level level;

    LogLevel(Level level) {
        this.level = level;
    }

    /** Sets the root logger's level, for every event logged from now on. */
    void apply() {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(level);
        }
    }
}
