package io.kaflowsql.node.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.kaflowsql.node.config.NodeConfig.LoggingSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

class LoggingConfiguratorTest
{
    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

    @AfterEach
    void restoreDefaults()
    {
        LoggingConfigurator.apply(new LoggingSettings("INFO"));
    }

    @Test
    void debugLevelAlsoOpensKafkaAndCalciteLoggers()
    {
        LoggingConfigurator.apply(new LoggingSettings("DEBUG"));

        assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.DEBUG);
        assertThat(context.getLogger("org.apache.kafka.clients.NetworkClient").getEffectiveLevel()).isEqualTo(Level.DEBUG);
        assertThat(context.getLogger("org.apache.calcite").getEffectiveLevel()).isEqualTo(Level.DEBUG);
    }

    @Test
    void infoLevelKeepsThirdPartyLoggersAtWarn()
    {
        LoggingConfigurator.apply(new LoggingSettings("DEBUG"));
        LoggingConfigurator.apply(new LoggingSettings("info"));

        assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("io.kaflowsql.node").getEffectiveLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("kafka.server.BrokerServer").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("org.rocksdb").getEffectiveLevel()).isEqualTo(Level.WARN);
    }
}
