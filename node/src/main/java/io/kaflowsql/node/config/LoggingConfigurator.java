package io.kaflowsql.node.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.kaflowsql.node.config.NodeConfig.LoggingSettings;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Applies {@code logging.level} of the node config to logback at run time, the same way
 * {@code logback.xml} applies {@code LOG_LEVEL} at class-loading time: the root logger gets the level;
 * Kafka, Calcite and RocksDB get it too when it is DEBUG or TRACE and stay at WARN otherwise (at INFO
 * they print hundreds of lines per start). Does nothing when logback is not the SLF4J backend.
 *
 * <p>Thread-safe (logback levels are volatile), but meant to be called once at start.
 */
public final class LoggingConfigurator
{
    static final List<String> THIRD_PARTY_LOGGERS = List.of("kafka", "org.apache.kafka", "state.change.logger", "org.apache.calcite", "org.rocksdb");

    private LoggingConfigurator() {}

    public static void apply(LoggingSettings settings)
    {
        requireNonNull(settings, "settings is null");
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return;
        }
        Level level = Level.toLevel(settings.level(), Level.INFO);
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(level);
        boolean verbose = level.toInt() <= Level.DEBUG_INT;
        for (String name : THIRD_PARTY_LOGGERS) {
            Logger logger = context.getLogger(name);
            logger.setLevel(verbose ? level : Level.WARN);
        }
    }
}
