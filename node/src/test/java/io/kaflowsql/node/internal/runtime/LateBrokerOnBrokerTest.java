package io.kaflowsql.node.internal.runtime;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.runtime.PipelineRuntime;
import io.kaflowsql.node.config.NodeConfig;
import io.kaflowsql.node.internal.broker.EmbeddedKafkaBroker;
import io.kaflowsql.coordinator.net.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node started before its broker answers: the pipeline's topic checks time out (a busy or restarting broker
 * looks the same) and are retried, instead of failing the pipeline for good; once the broker is up the node
 * becomes ready and processes.
 */
class LateBrokerOnBrokerTest
{
    @Test
    void aPipelineWhoseBrokerAnswersLateStartsOnceItDoes(@TempDir Path brokerDir, @TempDir Path stateDir)
            throws Exception
    {
        int port = FreePorts.pick();
        String bootstrap = "127.0.0.1:" + port;
        NodeConfig defaults = BrokerFixture.config(bootstrap, stateDir);
        // admin calls give up after 2 s, so the first topic check times out while no broker listens
        NodeConfig config = new NodeConfig(defaults.cluster(),
                new NodeConfig.KafkaSettings(bootstrap, "it", Map.of("default.api.timeout.ms", "2000", "request.timeout.ms", "1000")),
                defaults.schemaRegistry(), defaults.state(), defaults.processing(), defaults.checkpoint(), defaults.http(), defaults.pipelines(),
                defaults.logging());
        String prefix = "late_";
        CompiledPipeline pipeline = BrokerFixture.seedPipeline(prefix);

        EmbeddedKafkaBroker broker = null;
        try {
            try (KaflowNode node = KaflowNode.start(config, List.of(pipeline), Clock.systemUTC())) {
                PipelineRuntime runtime = node.runtimes().get(0);
                Thread.sleep(Duration.ofSeconds(8).toMillis()); // several timed-out checks
                assertThat(runtime.state()).as("a broker that does not answer is waited for").isEqualTo(PipelineRuntime.State.WAITING_FOR_TOPICS);

                broker = EmbeddedKafkaBroker.start(brokerDir, port, 2);
                BrokerFixture.createSeedTopics(broker, prefix, 2);
                assertThat(node.awaitReady(120, TimeUnit.SECONDS)).as("ready once the broker answers").isTrue();
                assertThat(runtime.state()).isEqualTo(PipelineRuntime.State.RUNNING);
            }
        }
        finally {
            if (broker != null) {
                broker.close(); // after the node: it commits and closes against a live broker
            }
        }
    }
}
