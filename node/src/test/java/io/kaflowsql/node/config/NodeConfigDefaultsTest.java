package io.kaflowsql.node.config;

import io.kaflowsql.engine.api.runtime.ProcessingGuarantee;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class NodeConfigDefaultsTest
{
    @Test
    void pinsEveryDefault()
    {
        NodeConfig config = NodeConfig.defaults();

        assertThat(config.cluster().name()).isEqualTo("kaflowsql");
        assertThat(config.kafka().bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(config.kafka().consumerGroup()).isEqualTo("kaflowsql");
        assertThat(config.kafka().clientProperties()).isEmpty();
        assertThat(config.schemaRegistry().url()).isEmpty();
        assertThat(config.state().dir()).isEqualTo(Path.of("./state"));
        assertThat(config.processing().guarantee()).isEqualTo(ProcessingGuarantee.EXACTLY_ONCE);
        assertThat(config.processing().commitInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(config.checkpoint().interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.checkpoint().keep()).isEqualTo(2);
        assertThat(config.http().port()).isEqualTo(8080);
        assertThat(config.pipelines().dir()).isEmpty();
        assertThat(config.logging().level()).isEqualTo("INFO");
    }

    @Test
    void loadingWithoutFileEnvironmentOrOptionsGivesTheDefaults()
    {
        assertThat(NodeConfigLoader.load(Optional.empty(), Map.of(), ConfigOverrides.none())).isEqualTo(NodeConfig.defaults());
    }
}
