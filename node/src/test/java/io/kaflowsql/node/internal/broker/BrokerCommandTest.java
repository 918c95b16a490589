package io.kaflowsql.node.internal.broker;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class BrokerCommandTest
{
    @Test
    void defaultsToLoopbackPort9092DataBrokerDirectoryAndFourPartitions()
    {
        BrokerCommand command = new BrokerCommand();
        new CommandLine(command).parseArgs();

        assertThat(command.host).isEqualTo("127.0.0.1");
        assertThat(command.port).isEqualTo(9092);
        assertThat(command.dataDir).isEqualTo(Path.of("./data/broker"));
        assertThat(command.partitions).isEqualTo(4);
    }

    @Test
    void acceptsHostPortDataDirAndPartitions()
    {
        BrokerCommand command = new BrokerCommand();
        new CommandLine(command).parseArgs("--host", "10.213.7.1", "--port", "0", "--data-dir", "/tmp/b", "--partitions", "12");

        assertThat(command.host).isEqualTo("10.213.7.1");
        assertThat(command.port).isZero();
        assertThat(command.dataDir).isEqualTo(Path.of("/tmp/b"));
        assertThat(command.partitions).isEqualTo(12);
    }
}
